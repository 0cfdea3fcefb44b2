/**
 * Grade return (CV-1..CV-5): send a learner's final grade to Coachview, once a day until Coachview
 * recognizes the learner and course, for at most `maxDailyAttempts` days; then notify and fail.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  condition,
  type RetryPolicy,
  defineQuery,
  defineSignal,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AttemptInput, GradeReturnActivities } from '../activities/grade-return';
// Specific modules, not the domain's index: workflow code must not load zod (domain/input-check.ts).
import {
  NOT_COUNTED_LABELS,
  NOT_COUNTED_RECORDS_KEPT,
  RETRY_INTERVAL_MS,
  isRefusal,
  nextStep,
  notCountedReason,
  schoolYearOf,
  type AttemptOutcome,
  type AttemptRecord,
  type GradeReturnBudgetWait,
  type GradeReturnPhase,
  type GradeReturnStatus,
  type NotCountedReason,
} from '../domain/grade-return/attempts';
import { completionDate } from '../domain/grade-return/completion-fields';
import { nextDailyAttemptAt } from '../domain/grade-return/spread';
import {
  REPLACEMENT_RECORDS_KEPT,
  replacementDecision,
  type ReplacementRecord,
} from '../domain/grade-return/replacement';
import { gradeReturnCurrentDetails } from '../domain/grade-return/describe';
import { ATTEMPT_HEARTBEAT_TIMEOUT_MS, ATTEMPT_START_TO_CLOSE_MS } from '../domain/grade-return/timeouts';
import type { GradeReturnInput } from '../domain/grade-return/input';
import { checkGradeReturnInput } from '../domain/grade-return/input-check';
import { integrations, searchAttributes } from '../platform/names';
import { plural } from '../domain/user-metadata';
import { withRateBudget, type WithRateBudgetOptions } from './support/rate-budget';

export const gradeReturnStatusQuery = defineQuery<GradeReturnStatus>('status');
/** Operator signal: attempt now instead of waiting for tomorrow, e.g. after fixing data in Coachview. */
export const retryNowSignal = defineSignal('retryNow');
/**
 * A completion for the same learner and course (CV-7), sent by the starter with signal-with-start: a
 * newer one replaces the pending grade for the next attempt. Its payload is a `Completion`.
 */
export const newCompletionSignal = defineSignal<[unknown]>('newCompletion');

/** Patch ids: runs recorded before these changes replay on the code path they took. */
export const ATTEMPT_TIMEOUT_PATCH = 'grade-return-attempt-timeout-from-calls';
export const KEEP_RETRY_NOW_PATCH = 'grade-return-keep-retry-now';
export const REFUSE_AT_ONCE_PATCH = 'grade-return-refuse-ambiguous-at-once';
export const NEWER_COMPLETION_PATCH = 'grade-return-newer-completion-replaces';
export const DAYS_NOT_ATTEMPTS_PATCH = 'grade-return-days-not-attempts';
export const RATE_BUDGET_PATCH = 'coachview-rate-budget';
export const SPREAD_ATTEMPTS_PATCH = 'grade-return-spread-attempts';
export const SHARED_SNAPSHOT_PATCH = 'grade-return-shared-snapshot';
export const ATTEMPT_WINDOW_PATCH = 'grade-return-attempt-window';
export const REPORT_INCIDENT_PATCH = 'grade-return-report-incident-once';

/** One attempt: transient errors (timeouts, 5xx, 429) retry with backoff here, inside the same day. */
const attemptRetry: RetryPolicy = {
  initialInterval: '5 seconds',
  backoffCoefficient: 2,
  maximumInterval: '10 minutes',
};
const coachview = proxyActivities<GradeReturnActivities>({
  // Every call an attempt makes at the adapter's per-call timeout, with room for an in-process wait
  // for the rate budget (domain/grade-return/timeouts.ts). The attempt heartbeats, so a worker that
  // dies mid-attempt is noticed after the heartbeat timeout (20 s), not after this.
  startToCloseTimeout: ATTEMPT_START_TO_CLOSE_MS,
  heartbeatTimeout: ATTEMPT_HEARTBEAT_TIMEOUT_MS,
  scheduleToCloseTimeout: '20 hours',
  retry: attemptRetry,
});
/** Before ATTEMPT_TIMEOUT_PATCH: 30 s, shorter than the calls an attempt may make. */
const coachviewBefore = proxyActivities<GradeReturnActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '20 hours',
  retry: attemptRetry,
});

/** The configured attempt window is the worker's: a local activity answers, the history keeps it. */
const schedule = proxyLocalActivities<GradeReturnActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Reporting a platform-wide problem is best effort: the grade return goes on without it. */
const incidents = proxyActivities<GradeReturnActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumAttempts: 3 },
});

const notifications = proxyActivities<GradeReturnActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 20,
  },
});

export interface GradeReturnResult {
  outcome: 'registered' | 'already-registered';
  attemptsMade: number;
  detail: string;
}

export async function gradeReturnWorkflow(rawInput: unknown): Promise<GradeReturnResult> {
  const input = parseInput(rawInput);
  const attempts: AttemptRecord[] = [];
  let phase: GradeReturnPhase = 'attempting';
  let nextAttemptAt: Date | null = null;
  let retryRequested = false;
  /** The next try was asked for by an operator (retryNow): it reads Coachview live, not the snapshot. */
  let liveTry = false;
  /** The completion the next attempt returns: the input, or a newer one received since (CV-7). */
  let current: GradeReturnInput = input;
  const replacements: ReplacementRecord[] = [];
  /** Completions attempted before a newer one replaced them: their results count as this run's own. */
  const attempted: { grade: string; completedAt: string }[] = [];
  /** Tries that used no daily attempt (CV-6): Coachview unavailable, credentials refused, malformed answer. */
  const notCounted: AttemptRecord[] = [];
  let notCountedTotal = 0;
  /** The first of the current run of not-counted tries; null once a try counts again. */
  let notCountedSince: string | null = null;
  /** While the `coachview-rest` budget is spent (PLAT-16): which budget, until when. */
  let rateBudgetWait: GradeReturnBudgetWait | null = null;
  /** The open Coachview incident this run met (CV-6): the workflow id an operator finds it under. */
  let platformIncident: string | null = null;
  const reportIncident = async (reason: NotCountedReason, since: string): Promise<void> => {
    try {
      const answer = await incidents.reportCoachviewIncident({
        reason,
        detail: NOT_COUNTED_LABELS[reason],
        since,
      });
      platformIncident = answer?.workflowId ?? null;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
    }
  };

  // Current details add no command, so histories recorded before them still replay.
  const showState = (): void =>
    setCurrentDetails(
      gradeReturnCurrentDetails({
        phase,
        maxDailyAttempts: input.maxDailyAttempts,
        attempts,
        nextAttemptAt,
        replacements,
        notCounted:
          notCountedSince !== null && notCounted.length > 0
            ? { last: notCounted[notCounted.length - 1]!, since: notCountedSince, total: notCountedTotal }
            : null,
        rateBudgetWait,
      }),
    );

  setHandler(gradeReturnStatusQuery, () => ({
    phase,
    attemptsMade: attempts.length,
    maxDailyAttempts: input.maxDailyAttempts,
    lastAnswer: attempts[attempts.length - 1] ?? null,
    nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
    attempts,
    completion: { grade: current.grade, completedAt: current.completedAt },
    replacements,
    notCounted,
    notCountedTotal,
    notCountedSince,
    rateBudgetWait,
    platformIncident,
  }));
  setHandler(retryNowSignal, () => {
    retryRequested = true;
  });
  setHandler(newCompletionSignal, (raw) => {
    // Runs that received this signal before the change had no handler for it and ignored it.
    if (!patched(NEWER_COMPLETION_PATCH)) return;
    const receivedAt = new Date().toISOString();
    const record = (decision: ReplacementRecord['decision'], forAttempt?: number): void => {
      replacements.push({ receivedAt, decision, ...(forAttempt ? { forAttempt } : {}) });
      if (replacements.length > REPLACEMENT_RECORDS_KEPT)
        replacements.splice(0, replacements.length - REPLACEMENT_RECORDS_KEPT);
      showState();
    };
    if (phase === 'registered' || phase === 'already-registered') return record('after-registration');
    if (phase === 'gave-up' || phase === 'refused') return record('after-giving-up');
    const checked = checkGradeReturnInput({
      ...(typeof raw === 'object' && raw !== null ? raw : {}),
      maxDailyAttempts: input.maxDailyAttempts,
    });
    if (
      !checked.ok ||
      checked.value.source !== input.source ||
      checked.value.courseId !== input.courseId ||
      checked.value.learnerId !== input.learnerId
    )
      return record('invalid');
    const decision = replacementDecision(current, checked.value);
    if (decision !== 'replace') return record(decision);
    const schoolYearBefore = schoolYearOf(completionDate(current));
    current = { ...current, grade: checked.value.grade, completedAt: checked.value.completedAt };
    const schoolYear = schoolYearOf(completionDate(current));
    if (schoolYear !== schoolYearBefore)
      upsertSearchAttributes([{ key: searchAttributes.schoolYear, value: schoolYear }]);
    // An attempt under way keeps the grade it was given; the next one returns the newer grade.
    record('replace', attempts.length + (phase === 'attempting' ? 2 : 1));
  });

  const setPhase = (next: GradeReturnPhase): void => {
    phase = next;
    upsertSearchAttributes([{ key: searchAttributes.integrationStatus, value: next }]);
    showState();
  };
  upsertSearchAttributes([
    { key: searchAttributes.integration, value: integrations.gradeReturn },
    { key: searchAttributes.sourceId, value: `${input.source}:${input.courseId}:${input.learnerId}` },
    { key: searchAttributes.schoolYear, value: schoolYearOf(completionDate(input)) },
    { key: searchAttributes.integrationStatus, value: phase },
  ]);
  showState();

  const waitForNextTry = async (): Promise<void> => {
    // Each run attempts at its own time of day, from its workflow id, so runs started together do not
    // attempt together (CV-6). Before the patch: 24 hours after the attempt.
    // From the attempt window configured at the worker (GRADE_RETURN_ATTEMPT_WINDOW), answered by a
    // local activity whose result the history keeps.
    const waitMs = patched(SPREAD_ATTEMPTS_PATCH)
      ? (patched(ATTEMPT_WINDOW_PATCH)
          ? await schedule.nextGradeReturnAttemptAt({
              afterMs: Date.now(),
              workflowId: workflowInfo().workflowId,
            })
          : nextDailyAttemptAt(Date.now(), workflowInfo().workflowId)) - Date.now()
      : RETRY_INTERVAL_MS;
    nextAttemptAt = new Date(Date.now() + waitMs);
    setPhase('waiting-for-retry');
    // A retryNow sent during the attempt is kept: the wait ends at once. Before the patch it was dropped.
    if (!patched(KEEP_RETRY_NOW_PATCH)) retryRequested = false;
    const askedFor = await condition(() => retryRequested, waitMs);
    liveTry = askedFor;
    retryRequested = false;
    nextAttemptAt = null;
    setPhase('attempting');
  };

  for (;;) {
    // A completion that replaces this one during the attempt is taken at the next attempt (CV-7).
    const sent = { grade: current.grade, completedAt: current.completedAt };
    const same = (c: typeof sent): boolean => c.grade === sent.grade && c.completedAt === sent.completedAt;
    const earlier = attempted.filter((c) => !same(c)).slice(-REPLACEMENT_RECORDS_KEPT);
    const previous = [...attempts, ...notCounted]
      .map((r) => r.at)
      .sort()
      .at(-1);
    const record = await attempt(
      earlier.length > 0 ? { ...current, earlier } : current,
      attempts.length + 1,
      { live: liveTry, ...(previous ? { snapshotNotBefore: previous } : {}) },
      {
        onWait: (wait) => {
          rateBudgetWait = {
            budget: wait.budget,
            reason: wait.reason,
            availableAt: wait.availableAt,
            resumeAt: wait.resumeAt,
            waits: wait.waits,
          };
          setPhase('waiting-for-rate-budget');
          // A spent quota is a platform-wide problem: reported once, beside the wait (CV-6).
          if (wait.waits === 1 && patched(REPORT_INCIDENT_PATCH))
            void reportIncident('rate-budget-spent', new Date().toISOString());
        },
        onResume: () => {
          rateBudgetWait = null;
          setPhase('attempting');
        },
      },
    );
    // A try that says nothing about this learner and course uses no daily attempt (CV-6): try again
    // tomorrow (retryNow: at once). Before the patch every try counted.
    const reason = notCountedReason(record);
    if (reason !== null && patched(DAYS_NOT_ATTEMPTS_PATCH)) {
      if (!attempted.some(same)) attempted.push(sent);
      notCounted.push({ ...record, notCounted: reason });
      if (notCounted.length > NOT_COUNTED_RECORDS_KEPT)
        notCounted.splice(0, notCounted.length - NOT_COUNTED_RECORDS_KEPT);
      notCountedTotal += 1;
      notCountedSince ??= record.at;
      // A problem of Coachview or the platform, not of this learner: reported once for all (CV-6).
      if (patched(REPORT_INCIDENT_PATCH)) await reportIncident(reason, record.at);
      await waitForNextTry();
      continue;
    }
    notCountedSince = null;
    platformIncident = null;
    attempts.push(record);
    if (!attempted.some(same)) attempted.push(sent);
    const step = nextStep(record.outcome, attempts.length, input.maxDailyAttempts);
    if (step === 'done') {
      setPhase(record.outcome as 'registered' | 'already-registered');
      return {
        outcome: record.outcome as GradeReturnResult['outcome'],
        attemptsMade: attempts.length,
        detail: record.detail,
      };
    }
    if (step === 'give-up') break;
    // Another day cannot make an ambiguous learner id safe (CV-5): stop now and tell the operators.
    if (isRefusal(record) && patched(REFUSE_AT_ONCE_PATCH)) {
      setPhase('refused');
      await notifications.notifyGradeReturnGaveUp({
        workflowId: workflowInfo().workflowId,
        input: current,
        attempts,
        refused: true,
      });
      throw ApplicationFailure.create({
        type: 'GradeReturnRefused',
        nonRetryable: true,
        message: `Coachview refused the result for course ${input.courseId}: ${record.detail}`,
        details: [{ learnerId: input.learnerId, courseId: input.courseId, lastAnswer: record }],
      });
    }

    await waitForNextTry();
  }

  setPhase('gave-up');
  await notifications.notifyGradeReturnGaveUp({
    workflowId: workflowInfo().workflowId,
    input: current,
    attempts,
  });
  const last = attempts[attempts.length - 1];
  // The message is read in clear text (docs/failure-messages.md): the learner is named by the
  // workflow id; the learner id goes in the details, which the codec encrypts.
  throw ApplicationFailure.create({
    type: 'GradeReturnGaveUp',
    nonRetryable: true,
    message:
      `Coachview did not register the result for course ${input.courseId} after ` +
      `${plural(attempts.length, 'daily attempt')}; last answer: ${last?.outcome}: ${last?.detail}`,
    details: [{ learnerId: input.learnerId, courseId: input.courseId, lastAnswer: last ?? null }],
  });
}

function parseInput(rawInput: unknown): GradeReturnInput {
  const checked = checkGradeReturnInput(rawInput);
  if (!checked.ok) {
    throw ApplicationFailure.create({
      type: 'InvalidInput',
      nonRetryable: true,
      message: `Invalid grade-return input: ${checked.problems.join('; ')}`,
    });
  }
  return checked.value;
}

async function attempt(
  input: AttemptInput,
  n: number,
  snapshot: { live: boolean; snapshotNotBefore?: string },
  budget: WithRateBudgetOptions,
): Promise<AttemptRecord> {
  let at = new Date().toISOString();
  try {
    const activities = patched(ATTEMPT_TIMEOUT_PATCH) ? coachview : coachviewBefore;
    // A spent `coachview-rest` budget is waited out on a durable timer and uses no attempt (PLAT-16,
    // CV-6); the attempt's time is when it finally runs. Before the patch the attempt had no budget.
    const within = {
      onWait: budget.onWait,
      onResume: () => {
        at = new Date().toISOString();
        budget.onResume?.();
      },
    };
    // Waiting learners share one read of Coachview (CV-6): the attempt consults the shared snapshot.
    // Before the patch each attempt read Coachview for itself.
    const result = patched(RATE_BUDGET_PATCH)
      ? patched(SHARED_SNAPSHOT_PATCH)
        ? await withRateBudget(
            () => activities.attemptGradeReturnFromSnapshot({ ...input, ...snapshot }),
            within,
          )
        : await withRateBudget(() => activities.attemptGradeReturnWithinBudget(input), within)
      : await activities.attemptGradeReturn(input);
    const { answeredFrom, snapshotTakenAt, ...answer } = result as typeof result & {
      answeredFrom?: string;
      snapshotTakenAt?: string;
    };
    return {
      attempt: n,
      at,
      ...answer,
      ...(answeredFrom ? { answeredFrom } : {}),
      ...(snapshotTakenAt ? { snapshotTakenAt } : {}),
    } as AttemptRecord;
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    // The day's attempt is over; the daily loop decides whether there is another.
    const outcome: AttemptOutcome =
      err.cause instanceof TimeoutFailure ? 'unavailable' : unavailableOrRejected(err);
    const failureType =
      outcome === 'rejected' && err.cause instanceof ApplicationFailure ? err.cause.type : undefined;
    return {
      attempt: n,
      at,
      outcome,
      detail: err.cause?.message ?? err.message,
      ...(failureType ? { failureType } : {}),
    };
  }
}

function unavailableOrRejected(err: ActivityFailure): AttemptOutcome {
  return err.cause instanceof ApplicationFailure && err.cause.nonRetryable ? 'rejected' : 'unavailable';
}
