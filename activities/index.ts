/**
 * The activities each task queue's worker registers, built from their dependencies (the worker is
 * the composition root).
 */
import { createGradeReturnActivities, type GradeReturnActivityDeps } from './grade-return';
import { createMoodlePollActivities, type MoodlePollDeps } from './moodle-poll';

export { createStoreActivities, type RetentionResult, type StoreActivities } from './store';
export {
  createRosterSyncActivities,
  type RosterSyncActivities,
  type RosterSyncDeps,
  type RosterSource,
} from './roster-sync';

export type GradeReturnQueueDeps = GradeReturnActivityDeps & MoodlePollDeps;

/** Task queue `grade-return`: the grade return itself and the Moodle completion poll. */
export function createGradeReturnQueueActivities(deps: GradeReturnQueueDeps) {
  return {
    ...createGradeReturnActivities(deps),
    ...createMoodlePollActivities(deps),
  };
}
