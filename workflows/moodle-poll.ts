/**
 * Moodle has no push: its cron computes course completion and its web services expose it.
 * A schedule runs this workflow; the activity walks Moodle and starts one grade return per completion.
 */
import { ApplicationFailure, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { MoodlePollActivities } from '../activities/moodle-poll';
import { moodlePollCurrentDetails } from '../domain/grade-return/describe';
import { checkMoodlePollInput } from '../domain/grade-return/input-check';

const moodle = proxyActivities<MoodlePollActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '30 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 5,
  },
});

export interface MoodlePollResult {
  found: number;
  started: number;
  duplicates: number;
}

export async function pollMoodleCompletionsWorkflow(rawInput: unknown = {}): Promise<MoodlePollResult> {
  const checked = checkMoodlePollInput(rawInput);
  if (!checked.ok) {
    throw ApplicationFailure.create({
      type: 'InvalidInput',
      nonRetryable: true,
      message: `Invalid Moodle poll input: ${checked.problems.join('; ')}`,
    });
  }
  const { lookbackDays } = checked.value;
  setCurrentDetails(moodlePollCurrentDetails(lookbackDays));
  const result = await moodle.pollMoodleCompletions(checked.value);
  setCurrentDetails(moodlePollCurrentDetails(lookbackDays, result));
  return result;
}
