/**
 * Year-end freeze (IMSE-5): from the last teaching day no roster run writes. The day before, an
 * e-mail; on the day, the daily schedule is paused with a note and the freeze takes the
 * integration's run lock for its whole length, so a run started by anyone, with any id, refuses and
 * names the freeze. It ends by the update `resume` (recording who sent it) or at the resume date:
 * the lock is released, the schedule runs again and an e-mail says so. One freeze per integration
 * (its workflow id). The history stays small: a handful of timers and activities.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineUpdate,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { describeIssues } from '../domain/grade-return/input';
import {
  dayBefore,
  freezeCurrentDetails,
  freezeInputSchema,
  operatorActSchema,
  startOfStockholmDay,
  type FreezeInput,
  type FreezePhase,
  type FreezeStatus,
  type OperatorAct,
} from '../domain/roster-sync/year-end';
import { integrations, searchAttributes } from '../platform/names';
import { releaseRunLock, rosterRunLockId, startRunLock, type rosterRunLockWorkflow } from './roster-sync';
import { callerOfCurrentUpdate, callerOfStart } from './support/caller-identity';
import { yearEndActivities as io } from './support/roster-sync-activities';
import { parseWorkflowInput } from './support/workflow-input';

export const freezeStatusQuery = defineQuery<FreezeStatus>('status');
/** Operator update: end the freeze now (or cancel it before it starts). */
export const resumeUpdate = defineUpdate<FreezeStatus, [OperatorAct]>('resume');

/** How often a freeze that found a run holding the lock looks again. */
const LOCK_RETRY = '15 minutes';

export async function yearEndFreezeWorkflow(rawInput: unknown): Promise<FreezeStatus> {
  const input = parseInput(rawInput);
  const { integrationId } = input;
  const status: FreezeStatus = {
    phase: 'scheduled',
    integrationId,
    since: input.lastTeachingDay,
    until: input.resumeDate ?? null,
    reason: input.reason,
    startedBy: null,
    schedule: null,
    waitingFor: null,
    frozenAt: null,
    resumed: null,
  };
  setHandler(freezeStatusQuery, () => status);
  const setPhase = (phase: FreezePhase): void => {
    status.phase = phase;
    upsertSearchAttributes([{ key: searchAttributes.integrationStatus, value: `freeze-${phase}` }]);
    setCurrentDetails(freezeCurrentDetails(status));
  };
  upsertSearchAttributes([
    { key: searchAttributes.integration, value: integrations.rosterSync },
    { key: searchAttributes.sourceId, value: integrationId },
  ]);

  let resumeRequested = false;
  let recording = false;
  setHandler(
    resumeUpdate,
    async (act) => {
      recording = true;
      const identity = await callerOfCurrentUpdate().finally(() => (recording = false));
      status.resumed = {
        how: 'operator',
        operator: act.operator,
        identity,
        ...(act.comment ? { comment: act.comment } : {}),
        at: new Date().toISOString(),
      };
      resumeRequested = true;
      return status;
    },
    {
      validator: (act) => {
        if (resumeRequested || recording || status.phase === 'resumed' || status.phase === 'cancelled') {
          throw ApplicationFailure.create({
            type: 'NotFrozen',
            nonRetryable: true,
            message: `Nothing to resume: the freeze is ${status.phase}${resumeRequested ? ' and ending' : ''}`,
          });
        }
        const parsed = operatorActSchema.safeParse(act);
        if (!parsed.success) {
          throw ApplicationFailure.create({
            type: 'InvalidDecision',
            nonRetryable: true,
            message: `Invalid resume: ${describeIssues(parsed.error)}`,
          });
        }
      },
    },
  );

  status.startedBy = await callerOfStart();
  setPhase('scheduled');

  // Summer activities need the integration running; the delay-delete window is the tool then (IMSE-7).
  const summer = await io.summerDataOf({ integrationId });
  if (summer && summer.validUntil >= input.lastTeachingDay) {
    throw ApplicationFailure.create({
      type: 'SummerDataConfigured',
      nonRetryable: true,
      message:
        `Refused: summer data is configured for ${integrationId} (${summer.validFrom} to ${summer.validUntil}), ` +
        'and a frozen integration would not keep it. Open a delay-delete window instead (workflow type ' +
        'delayDeleteWindowWorkflow): runs go on creating and updating, and deletes are held until its end date.',
    });
  }

  const starts = startOfStockholmDay(input.lastTeachingDay).getTime();
  const ends = input.resumeDate ? startOfStockholmDay(input.resumeDate).getTime() : null;
  // True when resumed before `at`. (A zero timeout would mean "no timeout" to condition.)
  const resumedBefore = async (at: number): Promise<boolean> =>
    at > Date.now() ? condition(() => resumeRequested, at - Date.now()) : resumeRequested;

  // The day before it starts, or at once when that is already past.
  const warnAt = startOfStockholmDay(dayBefore(input.lastTeachingDay)).getTime();
  if (await resumedBefore(warnAt)) return cancelled();
  await io.sendFreezeEmail({ kind: Date.now() < starts ? 'starts-tomorrow' : 'started', status });
  if (await resumedBefore(starts)) return cancelled();

  const note = `Year-end freeze since ${input.lastTeachingDay}${input.resumeDate ? ` until ${input.resumeDate}` : ''} (workflow ${workflowInfo().workflowId}, started by ${status.startedBy ?? 'unknown'}): ${input.reason}`;
  const paused = await io.pauseRosterSchedule({ integrationId, note });
  status.schedule = { ...paused, paused: paused.found };
  let lock: ChildWorkflowHandle<typeof rosterRunLockWorkflow> | undefined;
  try {
    lock = await takeLock(status, setPhase, () => resumeRequested);
    if (lock) {
      status.frozenAt = new Date().toISOString();
      setPhase('frozen');
      if (ends === null) await condition(() => resumeRequested);
      else await resumedBefore(ends);
    }
  } finally {
    if (lock) await releaseRunLock(lock);
  }
  if (!status.resumed)
    status.resumed = {
      how: 'resume-date',
      operator: 'resume date',
      identity: null,
      at: new Date().toISOString(),
    };
  const unpaused = await io.unpauseRosterSchedule({
    integrationId,
    note: `Year-end freeze ended ${status.resumed.at} (${status.resumed.how === 'operator' ? `by ${status.resumed.operator}` : 'resume date'})`,
  });
  status.schedule = { ...unpaused, paused: false };
  setPhase('resumed');
  await io.sendFreezeEmail({ kind: 'ended', status });
  return status;

  async function cancelled(): Promise<FreezeStatus> {
    setPhase('cancelled');
    await io.sendFreezeEmail({ kind: 'cancelled', status });
    return status;
  }
}

/**
 * Takes the integration's run lock as the roster runs do (IMSE-11), so every later start refuses.
 * A run in progress (a nightly run, or one waiting days for approval) is let finish first.
 */
async function takeLock(
  status: FreezeStatus,
  setPhase: (phase: FreezePhase) => void,
  stop: () => boolean,
): Promise<ChildWorkflowHandle<typeof rosterRunLockWorkflow> | undefined> {
  const { integrationId } = status;
  for (;;) {
    try {
      const lock = await startRunLock(integrationId);
      status.waitingFor = null;
      return lock;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const holder = await io.rosterRunLockHolder({ lockWorkflowId: rosterRunLockId(integrationId) });
      if (holder === null) {
        await sleep('1 second');
        continue;
      }
      status.waitingFor = holder;
      setPhase('waiting-for-run');
      if (await condition(stop, LOCK_RETRY)) return undefined;
    }
  }
}

function parseInput(rawInput: unknown): FreezeInput {
  return parseWorkflowInput(freezeInputSchema, rawInput, 'year-end freeze');
}
