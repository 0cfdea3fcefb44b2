import type { BudgetDefinition, BudgetState, Decision } from './policy';

/**
 * Where budgets are counted. Every process that calls the same outside API must use the same store
 * for the budget to hold: PostgreSQL in production, memory for a single process (the local stack).
 */
export interface RateBudgetStore {
  readonly kind: 'memory' | 'postgres';
  /** Takes `cost` units at `now` as {@link take} decides, atomically with every other taker. */
  take(definition: BudgetDefinition, cost: number, now: number, maxWaitMs: number): Promise<Decision>;
  /** Grants nothing of the budget before `until`. */
  markSpent(name: string, until: number): Promise<void>;
  /** The budget's current state (for status and tests). */
  read(name: string): Promise<BudgetState>;
}
