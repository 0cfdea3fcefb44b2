/**
 * The daily-attempt rules of grade return (CV-3, CV-4), as plain functions the workflow calls.
 */
import type { PendingCompletion, ReplacementRecord } from './replacement';

/** What one attempt at Coachview ended with. */
export type AttemptOutcome =
  /** Coachview processed the result (CV-2). */
  | 'registered'
  /** A result was already on the component; a later attempt's grade is not registered (CV-3). */
  | 'already-registered'
  /** Learner or course not recognized: try again tomorrow (CV-4). */
  | 'not-recognized'
  /** Coachview refused the call itself (bad request, signature, unexpected answer): try again tomorrow. */
  | 'rejected'
  /** Coachview stayed unreachable for the whole attempt despite retries with backoff. */
  | 'unavailable';

export interface AttemptRecord {
  attempt: number;
  at: string;
  outcome: AttemptOutcome;
  detail: string;
  /** The failure type of a `rejected` attempt, e.g. `Coachview.AmbiguousLearner`. */
  failureType?: string;
}

export type GradeReturnPhase =
  'attempting' | 'waiting-for-retry' | 'registered' | 'already-registered' | 'gave-up' | 'refused';

export interface GradeReturnStatus {
  phase: GradeReturnPhase;
  attemptsMade: number;
  maxDailyAttempts: number;
  lastAnswer: AttemptRecord | null;
  nextAttemptAt: string | null;
  attempts: AttemptRecord[];
  /** The grade and completion time the next (or last) attempt returns: the newest received (CV-7). */
  completion: PendingCompletion;
  /** Completions received while the grade return ran, and what each did (CV-7). */
  replacements: ReplacementRecord[];
}

export const RETRY_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Whether an outcome ends the workflow successfully. */
export function isFinal(outcome: AttemptOutcome): outcome is 'registered' | 'already-registered' {
  return outcome === 'registered' || outcome === 'already-registered';
}

/** The next step after an attempt: stop, or wait a day, or give up when the budget is spent. */
export function nextStep(
  outcome: AttemptOutcome,
  attemptsMade: number,
  maxDailyAttempts: number,
): 'done' | 'wait' | 'give-up' {
  if (isFinal(outcome)) return 'done';
  return attemptsMade >= maxDailyAttempts ? 'give-up' : 'wait';
}

/**
 * Refusals that another day cannot change: the learner id names several Coachview persons (CV-5), so
 * any registration could land on the wrong one. The run stops at once and the operators are told.
 */
const REFUSALS = new Set(['Coachview.AmbiguousLearner']);

export function isRefusal(record: AttemptRecord): boolean {
  return (
    record.outcome === 'rejected' && record.failureType !== undefined && REFUSALS.has(record.failureType)
  );
}

/** School year (Aug-Jul) of a date, e.g. `2026/2027`, for the SchoolYear search attribute. */
export function schoolYearOf(isoDate: string): string {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  const start = month >= 8 ? year : year - 1;
  return `${start}/${start + 1}`;
}
