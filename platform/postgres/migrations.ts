import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

/**
 * One schema change. Ids are global across the platform, so each piece prefixes its own
 * (`snapshot-store/001-chunks`). A migration never changes once released: add a new one.
 */
export interface Migration {
  id: string;
  sql: string;
}

export class MigrationChangedError extends Error {
  constructor(readonly id: string) {
    super(`migration ${id} was changed after it was applied: add a new migration instead`);
    this.name = 'MigrationChangedError';
  }
}

// One advisory lock key for every migration run of the platform (any 64-bit number, fixed forever).
const MIGRATION_LOCK = '7214830019520211';

const checksum = (sql: string): string => createHash('sha256').update(sql).digest('hex');

/**
 * Applies the migrations not applied yet, in the order given, each in its own transaction. Worker
 * processes starting together wait for each other on a session advisory lock, so each migration
 * runs once. Returns the ids it applied.
 */
export async function runMigrations(pool: Pool, migrations: readonly Migration[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`migration id ${m.id} is listed twice`);
    ids.add(m.id);
  }
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      return await applyPending(client, migrations);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

async function applyPending(client: PoolClient, migrations: readonly Migration[]): Promise<string[]> {
  await client.query(`CREATE TABLE IF NOT EXISTS platform_migrations (
    id text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<{ id: string; checksum: string }>(
    'SELECT id, checksum FROM platform_migrations',
  );
  const applied = new Map(rows.map((r) => [r.id, r.checksum]));
  const done: string[] = [];
  for (const m of migrations) {
    const sum = checksum(m.sql);
    const before = applied.get(m.id);
    if (before !== undefined) {
      if (before !== sum) throw new MigrationChangedError(m.id);
      continue;
    }
    await client.query('BEGIN');
    try {
      await client.query(m.sql);
      await client.query('INSERT INTO platform_migrations (id, checksum) VALUES ($1, $2)', [m.id, sum]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw new Error(`migration ${m.id} failed: ${(err as Error).message}`, { cause: err });
    }
    done.push(m.id);
  }
  return done;
}
