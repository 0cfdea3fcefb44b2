import type { Pool } from 'pg';
import type { Migration } from '../postgres';
import {
  EMPTY_STATE,
  checkCost,
  take,
  windowOf,
  type BudgetDefinition,
  type BudgetState,
  type Decision,
} from './policy';
import type { RateBudgetStore } from './store';

/** The budgets' table: one row per budget, times in milliseconds since the epoch as in {@link BudgetState}. */
export const rateBudgetMigrations: readonly Migration[] = [
  {
    id: 'rate-budget/001-budgets',
    sql: `CREATE TABLE rate_budget (
  name text PRIMARY KEY,
  window_start bigint NOT NULL DEFAULT 0,
  used integer NOT NULL DEFAULT 0,
  tat double precision NOT NULL DEFAULT 0,
  blocked_until bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
  },
];

const COLUMNS = 'window_start, used, tat, blocked_until';

// Each take is one statement: INSERT … ON CONFLICT DO UPDATE locks the budget's row and evaluates
// the WHERE against its newest version, so concurrent takers in any process never overspend. The
// arithmetic is policy.ts's `take`, in the same order (the unit tests and the store's tests agree).
const TAKE_FIXED_WINDOW = `
INSERT INTO rate_budget AS b (name, window_start, used) VALUES ($1, $2::bigint, $3::integer)
ON CONFLICT (name) DO UPDATE SET
  window_start = greatest(b.window_start, EXCLUDED.window_start),
  used = (CASE WHEN b.window_start >= EXCLUDED.window_start THEN b.used ELSE 0 END) + EXCLUDED.used,
  updated_at = now()
WHERE b.blocked_until <= $5::bigint
  AND (CASE WHEN b.window_start >= EXCLUDED.window_start THEN b.used ELSE 0 END) + EXCLUDED.used <= $4::integer
RETURNING ${COLUMNS}`;

const TAKE_TOKEN_BUCKET = `
INSERT INTO rate_budget AS b (name, tat) VALUES ($1, $2::float8 + $3::float8 * $4::float8)
ON CONFLICT (name) DO UPDATE SET
  tat = greatest(b.tat, $2::float8) + $3::float8 * $4::float8,
  updated_at = now()
WHERE b.blocked_until <= $2::float8
  AND greatest(b.tat, $2::float8) + $3::float8 * $4::float8 - $5::float8 * $4::float8 <= $2::float8 + $6::float8
RETURNING ${COLUMNS}`;

const MARK_SPENT = `
INSERT INTO rate_budget AS b (name, blocked_until) VALUES ($1, $2::bigint)
ON CONFLICT (name) DO UPDATE SET
  blocked_until = greatest(b.blocked_until, EXCLUDED.blocked_until),
  updated_at = now()`;

interface Row {
  window_start: string;
  used: number;
  tat: number;
  blocked_until: string;
}

const toState = (row: Row): BudgetState => ({
  windowStart: Number(row.window_start),
  used: row.used,
  tat: row.tat,
  blockedUntil: Number(row.blocked_until),
});

/**
 * Budgets kept in the platform's PostgreSQL (run {@link rateBudgetMigrations} first): one budget
 * shared by every worker process.
 */
export function createPostgresBudgetStore(pool: Pool): RateBudgetStore {
  async function read(name: string): Promise<BudgetState> {
    const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM rate_budget WHERE name = $1`, [name]);
    return rows[0] ? toState(rows[0]) : EMPTY_STATE;
  }

  return {
    kind: 'postgres',
    read,
    async take(definition: BudgetDefinition, cost, now, maxWaitMs): Promise<Decision> {
      const { name, policy } = definition;
      checkCost(name, policy, cost);
      const at = Math.floor(now);
      const { rows } =
        policy.kind === 'token-bucket'
          ? await pool.query<Row>(TAKE_TOKEN_BUCKET, [
              name,
              at,
              cost,
              policy.perMs / policy.limit,
              policy.burst,
              maxWaitMs,
            ])
          : await pool.query<Row>(TAKE_FIXED_WINDOW, [
              name,
              windowOf(policy, at).start,
              cost,
              policy.limit,
              at,
            ]);
      if (rows[0]) {
        const state = toState(rows[0]);
        const waitMs =
          policy.kind === 'token-bucket'
            ? Math.max(0, state.tat - policy.burst * (policy.perMs / policy.limit) - at)
            : 0;
        return { granted: true, state, waitMs };
      }
      // Refused: when it is available again follows from the row as it is now (a hint; takers race).
      const decision = take(definition, await read(name), at, cost, maxWaitMs);
      return decision.granted ? { granted: false, availableAt: at, spentBy: 'limit' } : decision;
    },
    async markSpent(name, until) {
      await pool.query(MARK_SPENT, [name, Math.ceil(until)]);
    },
  };
}
