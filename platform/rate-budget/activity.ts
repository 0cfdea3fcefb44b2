import { Context } from '@temporalio/activity';
import { spentBudgetOf } from './errors';
import type { Budgeted } from './outcome';

/** Waits `ms` for a budget; `until` says for what, for the activity's heartbeat. */
export type Waiter = (ms: number, note: { budget: string; until: number }) => Promise<void>;

const HEARTBEAT_EVERY_MS = 5_000;

/**
 * Waits inside the running activity, heartbeating what it waits for (the Web UI shows it as the
 * pending activity's heartbeat details) and ending early when the activity is cancelled. Outside
 * an activity it simply sleeps.
 */
export const waitInActivity: Waiter = async (ms, note) => {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return;
  }
  const end = Date.now() + ms;
  const details = { waitingForRateBudget: note.budget, until: new Date(note.until).toISOString() };
  for (let left = ms; left > 0; left = end - Date.now()) {
    ctx.heartbeat(details);
    await ctx.sleep(Math.min(left, HEARTBEAT_EVERY_MS));
  }
};

/** How long this activity may wait in-process: half its start-to-close timeout, so the call still fits. */
export function activityWaitCap(): number {
  try {
    return Context.current().info.startToCloseTimeoutMs / 2;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Wraps an activity so that a spent budget is its answer, not its failure: the workflow's
 * `withRateBudget` then waits on a durable timer and calls again, no retry used, no failure in the
 * history.
 */
export function budgeted<A extends unknown[], T>(
  activity: (...args: A) => Promise<T>,
): (...args: A) => Promise<Budgeted<T>> {
  return async (...args) => {
    try {
      return { kind: 'done', value: await activity(...args) };
    } catch (err) {
      const spent = spentBudgetOf(err);
      if (spent) return { kind: 'rate-budget-spent', spent };
      throw err;
    }
  };
}
