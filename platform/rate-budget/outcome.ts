/**
 * What crosses from a budgeted activity to its workflow (PLAT-16). No imports: workflow code reads
 * this, and a spent budget is an answer here, not a failure, so the history shows no failure and
 * no retry is used.
 */

/** The failure type of a spent budget when it travels as a failure (an activity not wrapped with `budgeted`). */
export const RATE_BUDGET_SPENT = 'RateBudgetSpent';

export interface RateBudgetSpent {
  budget: string;
  /** ISO time the budget is available again. */
  availableAt: string;
  /** Waiting workflows wake spread over this many milliseconds after `availableAt`. */
  spreadMs: number;
  /** Why it is spent: the budget's own count, or the outside API's 429. */
  reason: string;
}

/** The answer of a budgeted activity: its own result, or "the budget is spent until …". */
export type Budgeted<T> = { kind: 'done'; value: T } | { kind: 'rate-budget-spent'; spent: RateBudgetSpent };
