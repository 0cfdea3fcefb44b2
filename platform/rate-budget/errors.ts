import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { RATE_BUDGET_SPENT, type RateBudgetSpent } from './outcome';

/**
 * A budget spent for longer than an activity waits in-process: a non-retryable failure of type
 * `RateBudgetSpent` (retrying would only spend attempts) with {@link RateBudgetSpent} as its
 * details, and benign (the worker does not log it as an error). `budgeted` activities answer it
 * as a value instead, so the history shows no failure at all.
 */
export function rateBudgetSpentFailure(spent: RateBudgetSpent): ApplicationFailure {
  return ApplicationFailure.create({
    type: RATE_BUDGET_SPENT,
    message: `rate budget ${spent.budget} is spent until ${spent.availableAt} (${spent.reason})`,
    nonRetryable: true,
    details: [spent],
    category: ApplicationFailureCategory.BENIGN,
  });
}

/** The spent budget an error reports, if it is {@link rateBudgetSpentFailure}'s. */
export function spentBudgetOf(err: unknown): RateBudgetSpent | undefined {
  return err instanceof ApplicationFailure && err.type === RATE_BUDGET_SPENT
    ? (err.details?.[0] as RateBudgetSpent | undefined)
    : undefined;
}
