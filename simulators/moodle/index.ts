export {
  startMoodleSimulator,
  type MoodleCall,
  type MoodleSimulator,
  type MoodleSimulatorOptions,
} from './server';
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
