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
  /** Where the answer came from: the shared snapshot of Coachview (CV-6) or Coachview directly. */
  answeredFrom?: 'snapshot' | 'live';
  /** When the snapshot the answer came from was read. */
  snapshotTakenAt?: string;
  /** Set when the try was not about this learner and course, so it used none of the daily attempts (CV-6). */
  notCounted?: NotCountedReason;
}

/**
 * Why a day's try is not one of the daily attempts (CV-6): the answer says nothing about this learner
 * and course, and the same problem hits every waiting grade return at once.
 */
export type NotCountedReason =
  /** 5xx, 429 or no answer for the whole attempt, despite the in-attempt retries (or its timeout). */
  | 'coachview-unavailable'
  /** 401/403: the API client's credentials were refused (rotated or revoked). */
  | 'credentials-refused'
  /** The answer did not have the documented shape. */
  | 'malformed-answer'
  /** The `coachview-rest` budget was spent (an attempt activity without `budgeted`, e.g. in flight at deploy). */
  | 'rate-budget-spent';

/** Failure types of a `rejected` try that are about Coachview or the platform, not this request. */
const NOT_ABOUT_THIS_REQUEST: Readonly<Record<string, NotCountedReason>> = {
  'Coachview.Unauthorized': 'credentials-refused',
  'Coachview.Forbidden': 'credentials-refused',
  'Coachview.UnexpectedResponse': 'malformed-answer',
  RateBudgetSpent: 'rate-budget-spent',
};

/**
 * Which tries count as daily attempts (CV-6): only answers about this learner and course (registered,
 * not recognized, rejected for a reason about this request, ambiguous). Coachview unavailable, refused
 * credentials and malformed answers do not: the workflow tries again the next day without using one.
 * Returns the reason a try does not count, or null when it counts.
 */
export function notCountedReason(
  record: Pick<AttemptRecord, 'outcome' | 'failureType'>,
): NotCountedReason | null {
  if (record.outcome === 'unavailable') return 'coachview-unavailable';
  if (record.outcome === 'rejected' && record.failureType !== undefined)
    return NOT_ABOUT_THIS_REQUEST[record.failureType] ?? null;
  return null;
}

/** How an operator reads a reason, e.g. in the current details: "Coachview unavailable". */
export const NOT_COUNTED_LABELS: Readonly<Record<NotCountedReason, string>> = {
  'coachview-unavailable': 'Coachview unavailable',
  'credentials-refused': "Coachview refused the API client's credentials",
  'malformed-answer': 'Coachview answered in an unexpected shape',
  'rate-budget-spent': 'The Coachview rate budget was spent',
};

/** How many tries that did not count the status query keeps (the newest). */
export const NOT_COUNTED_RECORDS_KEPT = 20;

export type GradeReturnPhase =
  | 'attempting'
  | 'waiting-for-retry'
  /** The `coachview-rest` budget is spent: waiting for it uses no attempt (PLAT-16, CV-6). */
  | 'waiting-for-rate-budget'
  | 'registered'
  | 'already-registered'
  | 'gave-up'
  | 'refused';

/** A wait for a spent rate budget, as the status query shows it (workflows/support/rate-budget.ts). */
export interface GradeReturnBudgetWait {
  budget: string;
  reason: string;
  availableAt: string;
  /** When this run calls again: `availableAt` plus its share of the budget's spread. */
  resumeAt: string;
  waits: number;
}

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
  /** Tries that used no daily attempt (CV-6), the newest {@link NOT_COUNTED_RECORDS_KEPT}. */
  notCounted?: AttemptRecord[];
  /** How many tries did not count, in all. */
  notCountedTotal?: number;
  /** Since when the current run of not-counted tries lasts (the first of them), or null. */
  notCountedSince?: string | null;
  /** While the phase is `waiting-for-rate-budget`: which budget, until when. */
  rateBudgetWait?: GradeReturnBudgetWait | null;
  /**
   * While Coachview has a platform-wide problem (CV-6): the one incident workflow that reports it
   * (`platform-incident:coachview`), or null.
   */
  platformIncident?: string | null;
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
