/**
 * Rate budgets (PLAT-16): one budget per rate-limited outside API, shared by every workflow and
 * worker process, so a spent budget makes work wait instead of fail. See docs/rate-budgets.md.
 */
import type { Pool } from 'pg';
import type { AppConfig } from '../config';
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

/**
 * The worker's budgets from configuration: on PostgreSQL when `RATE_BUDGET_STORE=postgres`, or
 * when it is unset and `DATABASE_URL` is; else in this process's memory, which production refuses
 * (its worker processes would each spend the whole budget).
 */
export async function rateBudgetsFromConfig(
  config: Pick<AppConfig, 'environment' | 'rateBudgets' | 'database'>,
  database: (neededBy: string) => Pool,
): Promise<RateBudgets> {
  const store = config.rateBudgets.store ?? (config.database.url ? 'postgres' : 'memory');
  if (store === 'memory' && config.environment === 'production') {
    throw new Error(
      'RATE_BUDGET_STORE: production keeps rate budgets in PostgreSQL, shared by every worker process: set DATABASE_URL (or DATABASE_URL_FILE)',
    );
  }
  return createRateBudgets(
    config.rateBudgets.budgets,
    store === 'postgres' ? database('the rate budgets (PLAT-16)') : undefined,
  );
}

/** One line per budget for the worker's start-up log. */
export function describeBudgets(budgets: RateBudgets): Record<string, string> {
  return Object.fromEntries(
    budgets
      .list()
      .map(({ definition: { name, policy } }) => [
        name,
        policy.kind === 'daily'
          ? `${policy.limit} a day (${policy.timeZone})`
          : policy.kind === 'fixed-window'
            ? `${policy.limit} per ${policy.windowMs} ms`
            : `${policy.limit} per ${policy.perMs} ms, bursts of ${policy.burst}`,
      ]),
  );
}
