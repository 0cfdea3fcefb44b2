/**
 * A newer completion replaces a waiting grade return's pending one (CV-7): when a learner completes a
 * course again (or the e-learning system re-sends it with a new grade) while the grade return waits
 * for tomorrow's attempt, the next attempt returns the newer grade. "Newer" is the completion time.
 * Loaded by workflow code: no zod (see input-check.ts).
 */
import { completionDate, isIsoDate } from './completion-fields';

export interface PendingCompletion {
  grade: string;
  completedAt: string;
}

/**
 * What a completion arriving for the same learner and course does to the pending one:
 * - `replace`: it was completed later; the next attempt returns its grade and date.
 * - `same`: the same completion delivered again (same time, same grade): nothing changes.
 * - `not-newer`: completed earlier, or at the same time with another grade: the pending one stays,
 *   so the order in which the push and the poll deliver cannot decide the grade.
 */
export type ReplacementDecision = 'replace' | 'same' | 'not-newer';

/**
 * Completion times compare as instants when both carry a time; when either is a plain date, as the
 * calendar dates written in them (a date-time's own date), since a plain date has no time of day.
 */
export function compareCompletionTimes(a: string, b: string): number {
  if (isIsoDate(a) || isIsoDate(b)) {
    const [da, db] = [completionDate({ completedAt: a }), completionDate({ completedAt: b })];
    return da < db ? -1 : da > db ? 1 : 0;
  }
  const diff = Date.parse(a) - Date.parse(b);
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

export function replacementDecision(
  pending: PendingCompletion,
  incoming: PendingCompletion,
): ReplacementDecision {
  const order = compareCompletionTimes(incoming.completedAt, pending.completedAt);
  if (order > 0) return 'replace';
  if (order === 0 && incoming.grade === pending.grade) return 'same';
  return 'not-newer';
}

/**
 * The status query keeps the last this many completions received: the Moodle poll re-delivers a
 * waiting learner's completion every time it sees it again (each a `same`).
 */
export const REPLACEMENT_RECORDS_KEPT = 20;

/** A completion that reached a running grade return, for the status query. */
export interface ReplacementRecord {
  /** When the grade return received it (workflow time). */
  receivedAt: string;
  /**
   * `replace` / `same` / `not-newer` as above; `after-registration` when Coachview already holds the
   * result (CV-3); `after-giving-up` when the run is ending without a registration; `invalid` when
   * the completion failed the input check or names another pair.
   */
  decision: ReplacementDecision | 'after-registration' | 'after-giving-up' | 'invalid';
  /** The attempt that returns it (`replace` only): the next one after it arrived. */
  forAttempt?: number;
}

/** One line for the current details about the last completion received, without personal values. */
export function describeReplacement(r: ReplacementRecord): string {
  const received = `A completion received at ${r.receivedAt}`;
  switch (r.decision) {
    case 'replace':
      return `${received} is newer: it replaced the pending grade, returned from attempt ${r.forAttempt ?? '?'}.`;
    case 'same':
      return `${received} was the pending one again: nothing changed.`;
    case 'not-newer':
      return `${received} was not newer than the pending one: the pending grade stays.`;
    case 'after-registration':
      return `${received} came after the registration: nothing changed (CV-3).`;
    case 'after-giving-up':
      return `${received} came while the run was ending: start the grade return again for it.`;
    case 'invalid':
      return `${received} was not a valid completion for this learner and course: ignored.`;
  }
}
