/**
 * The workflow side of rate budgets (PLAT-16), the same for every lifecycle: call a `budgeted`
 * activity; while its budget is spent, wait on a durable timer until it is available again and
 * call again. A wait is neither a failure nor an attempt: the activity starts afresh at attempt 1,
 * and the lifecycle counts only the call that finally ran.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  getCurrentDetails,
  setCurrentDetails,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { RATE_BUDGET_SPENT, type Budgeted, type RateBudgetSpent } from '../../platform/rate-budget/outcome';
import { spreadOffset } from '../../platform/rate-budget/policy';

/** No wait is shorter, so a budget answering "spent until now" cannot spin the workflow. */
const MIN_WAIT_MS = 1000;

export interface RateBudgetWait extends RateBudgetSpent {
  /** When this workflow calls again: `availableAt` plus its own share of the budget's spread. */
  resumeAt: string;
  /** Waits so far in this call, this one included. */
  waits: number;
}

export interface WithRateBudgetOptions {
  /** Called as the wait begins, e.g. to show it in the lifecycle's status query and search attributes. */
  onWait?: (wait: RateBudgetWait) => void;
  /** Called when the wait is over, before the call is made again. */
  onResume?: () => void;
}

/**
 * Calls `call` until its budget lets it run, and returns its result. While waiting, the
 * workflow's current details (Web UI → User Metadata) say which budget it waits for and until when;
 * the details it had before come back afterwards.
 */
export async function withRateBudget<T>(
  call: () => Promise<Budgeted<T>>,
  options: WithRateBudgetOptions = {},
): Promise<T> {
  for (let waits = 1; ; waits++) {
    const answer = await spentAsAnswer(call);
    if (answer.kind === 'done') return answer.value;
    const { spent } = answer;
    const now = Date.now();
    const availableAt = Date.parse(spent.availableAt);
    const offset = spreadOffset(`${workflowInfo().workflowId}:${spent.availableAt}`, spent.spreadMs);
    const resumeAt = Math.max(availableAt, now) + offset;
    const wait: RateBudgetWait = { ...spent, resumeAt: new Date(resumeAt).toISOString(), waits };
    const detailsBefore = getCurrentDetails();
    setCurrentDetails(waitingDetails(wait));
    options.onWait?.(wait);
    await sleep(Math.max(MIN_WAIT_MS, resumeAt - now), {
      summary: `rate budget ${spent.budget}: waiting until ${wait.resumeAt}`,
    });
    setCurrentDetails(detailsBefore);
    options.onResume?.();
  }
}

/** An activity not wrapped with `budgeted` reports a spent budget as a failure; it means the same. */
async function spentAsAnswer<T>(call: () => Promise<Budgeted<T>>): Promise<Budgeted<T>> {
  try {
    return await call();
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === RATE_BUDGET_SPENT && cause.details?.[0]) {
      return { kind: 'rate-budget-spent', spent: cause.details[0] as RateBudgetSpent };
    }
    throw err;
  }
}

function waitingDetails(wait: RateBudgetWait): string {
  return [
    `**Waiting for rate budget \`${wait.budget}\`** (${wait.reason}).`,
    `Available again at ${wait.availableAt}; this workflow calls again at ${wait.resumeAt} (wait ${wait.waits}).`,
    'Nothing has failed and no attempt is used: the work continues by itself.',
  ].join('\n\n');
}
