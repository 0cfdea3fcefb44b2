import { TransientError } from '../errors';
import { activityWaitCap, waitInActivity, type Waiter } from './activity';
import { rateBudgetSpentFailure } from './errors';
import type { ApplicationFailure } from '@temporalio/common';
import { remaining, windowOf, type BudgetDefinition } from './policy';
import type { RateBudgetStore } from './store';

export interface RateBudgetOptions {
  /** The clock budgets are counted by (tests follow the test server's clock). */
  clock?: () => number;
  wait?: Waiter;
}

/**
 * One named budget as activities use it: {@link acquire} before each call to the outside API, or
 * {@link spend} around it. Short waits happen in-process; a longer one throws
 * a `RateBudgetSpent` failure ({@link rateBudgetSpentFailure}), which `budgeted` activities hand to the workflow to wait durably.
 */
export class RateBudget {
  readonly #clock: () => number;
  readonly #wait: Waiter;

  constructor(
    readonly definition: BudgetDefinition,
    readonly store: RateBudgetStore,
    options: RateBudgetOptions = {},
  ) {
    this.#clock = options.clock ?? Date.now;
    this.#wait = options.wait ?? waitInActivity;
  }

  get name(): string {
    return this.definition.name;
  }

  /** Takes `cost` units, waiting in-process up to `maxWaitMs` (the budget's own by default). */
  async acquire(cost = 1, options: { maxWaitMs?: number } = {}): Promise<void> {
    const maxWaitMs = Math.max(
      0,
      Math.min(options.maxWaitMs ?? this.definition.maxWaitMs, activityWaitCap()),
    );
    const deadline = this.#clock() + maxWaitMs;
    for (;;) {
      const now = this.#clock();
      const decision = await this.store.take(this.definition, cost, now, Math.max(0, deadline - now));
      if (decision.granted) {
        if (decision.waitMs > 0)
          await this.#wait(decision.waitMs, { budget: this.name, until: now + decision.waitMs });
        return;
      }
      if (decision.availableAt > deadline) {
        const reason =
          decision.spentBy === 'api' ? 'the API answered 429 and asked to wait' : 'its limit is reached';
        throw this.#spent(decision.availableAt, reason);
      }
      await this.#wait(Math.max(1, decision.availableAt - now), {
        budget: this.name,
        until: decision.availableAt,
      });
    }
  }

  /**
   * Runs one call to the outside API within the budget. A 429 from the API marks the whole budget
   * spent until its `Retry-After` (or the budget's next window), so every worker waits, not only this one.
   */
  async spend<T>(call: () => Promise<T>, cost = 1): Promise<T> {
    await this.acquire(cost);
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof TransientError) || err.status !== 429) throw err;
      const now = this.#clock();
      const until = now + (err.retryAfterMs ?? this.#fallbackWait(now));
      await this.store.markSpent(this.name, until);
      throw this.#spent(until, `${err.system} answered 429`);
    }
  }

  /** Marks the budget spent until `until` (e.g. from an API's rate-limit headers on a success). */
  async markSpent(until: number): Promise<void> {
    await this.store.markSpent(this.name, until);
  }

  /** Units left now. */
  async remaining(): Promise<number> {
    return remaining(this.definition.policy, await this.store.read(this.name), this.#clock());
  }

  #fallbackWait(now: number): number {
    const { policy } = this.definition;
    return policy.kind === 'token-bucket' ? policy.perMs : windowOf(policy, now).end - now;
  }

  #spent(availableAt: number, reason: string): ApplicationFailure {
    return rateBudgetSpentFailure({
      budget: this.name,
      availableAt: new Date(Math.ceil(availableAt)).toISOString(),
      spreadMs: this.definition.spreadMs,
      reason,
    });
  }
}

/** Every budget the configuration declares, over one store; built once by the composition root. */
export class RateBudgets {
  readonly #budgets: Map<string, RateBudget>;

  constructor(
    definitions: readonly BudgetDefinition[],
    readonly store: RateBudgetStore,
    options: RateBudgetOptions = {},
  ) {
    this.#budgets = new Map(definitions.map((d) => [d.name, new RateBudget(d, store, options)]));
  }

  /** The budget named `name`; an undeclared name is a wiring mistake and throws. */
  get(name: string): RateBudget {
    const budget = this.#budgets.get(name);
    if (!budget) {
      throw new Error(
        `rate budget ${name} is not declared (declared: ${[...this.#budgets.keys()].join(', ')})`,
      );
    }
    return budget;
  }

  list(): RateBudget[] {
    return [...this.#budgets.values()];
  }
}
