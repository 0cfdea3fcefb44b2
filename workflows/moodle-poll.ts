/**
 * Moodle has no push: its cron computes course completion and its web services expose it.
 * A schedule runs this workflow; the activity walks Moodle and starts one grade return per completion.
 * Incremental: the schedule hands the last completed poll's result to the next run
 * (`workflowInfo().lastResult`); its cursor tells the activity whom to ask (domain/grade-return/moodle-poll.ts).
 */
import { ApplicationFailure, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { MoodlePollActivities } from '../activities/moodle-poll';
import { moodlePollCurrentDetails } from '../domain/grade-return/describe';
import { checkMoodlePollInput } from '../domain/grade-return/input-check';
import { cursorOf, type MoodlePollResult } from '../domain/grade-return/moodle-poll';

export type { MoodlePollResult } from '../domain/grade-return/moodle-poll';

const moodle = proxyActivities<MoodlePollActivities>({
  startToCloseTimeout: '30 minutes',
  // The activity heartbeats after every course and every grade return it starts; a lost worker is
  // noticed within 2 minutes and the retry resumes after the last course in its heartbeat.
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '30 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 5,
  },
});

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
  // Only the activity's input changes with the cursor: the commands are the same as before, so runs
  // that started before this change replay unchanged (no patch needed).
  const cursor = cursorOf(workflowInfo().lastResult);
  setCurrentDetails(moodlePollCurrentDetails(lookbackDays, undefined, cursor));
  const result = await moodle.pollMoodleCompletions({ ...checked.value, ...(cursor ? { cursor } : {}) });
  setCurrentDetails(moodlePollCurrentDetails(lookbackDays, result));
  return result;
}
