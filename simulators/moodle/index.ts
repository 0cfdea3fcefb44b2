export { startMoodleSimulator, type MoodleSimulator, type MoodleSimulatorOptions } from './server';
export {
  MoodleState,
  criteriaTypes,
  moodleSeedSchema,
  type MoodleCourse,
  type MoodleSeed,
  type MoodleUser,
} from './state';
export { MoodleException } from './exceptions';
export { parseMoodleParams } from './params';
