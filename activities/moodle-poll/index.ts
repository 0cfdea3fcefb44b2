export {
  createMoodlePollActivities,
  pollMoodleCompletionsInputSchema,
  type MoodlePollActivities,
  type MoodlePollDeps,
  type PollMoodleCompletionsInput,
  type PollMoodleCompletionsResult,
} from './activities';
