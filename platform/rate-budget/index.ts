/**
 * Rate budgets (PLAT-16): one budget per rate-limited outside API, shared by every workflow and
 * worker process, so a spent budget makes work wait instead of fail. See docs/rate-budgets.md.
 */
import type { Pool } from 'pg';
import { runMigrations } from '../postgres';
import { RateBudgets, type RateBudgetOptions } from './budget';
import { createMemoryBudgetStore } from './memory-store';
import type { BudgetDefinition } from './policy';
import { createPostgresBudgetStore, rateBudgetMigrations } from './postgres-store';

export { budgeted, waitInActivity, type Waiter } from './activity';
export { RateBudget, RateBudgets, type RateBudgetOptions } from './budget';
export { DEFAULT_BUDGETS, rateBudgetsSetting, type BudgetSetting } from './config';
export { rateBudgetSpentFailure, spentBudgetOf } from './errors';
export { createMemoryBudgetStore } from './memory-store';
export { RATE_BUDGET_SPENT, type Budgeted, type RateBudgetSpent } from './outcome';
export type { BudgetDefinition, BudgetPolicy, BudgetState, Decision } from './policy';
export { createPostgresBudgetStore, rateBudgetMigrations } from './postgres-store';
export type { RateBudgetStore } from './store';

/**
 * The composition root's one call: every declared budget over PostgreSQL when a pool is given
 * (its table migrated first), else over this process's memory.
 */
export async function createRateBudgets(
  definitions: readonly BudgetDefinition[],
  pool?: Pool,
  options: RateBudgetOptions = {},
): Promise<RateBudgets> {
  if (!pool) return new RateBudgets(definitions, createMemoryBudgetStore(), options);
  await runMigrations(pool, rateBudgetMigrations);
  return new RateBudgets(definitions, createPostgresBudgetStore(pool), options);
}
