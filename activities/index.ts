/**
 * Every activity the workers register, built from their dependencies (the worker is the composition root).
 */
import { createGradeReturnActivities, type GradeReturnActivityDeps } from './grade-return';
import { createMoodlePollActivities, type MoodlePollDeps } from './moodle-poll';

export type ActivityDeps = GradeReturnActivityDeps & MoodlePollDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createGradeReturnActivities(deps),
    ...createMoodlePollActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
