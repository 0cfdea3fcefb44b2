import type { Pool } from 'pg';
import { ConfigError, type AppConfig } from '../../platform/config';
import type { AppLogger } from '../../platform/logging';
import { createPool, runMigrations, type Migration } from '../../platform/postgres';

/**
 * The delivery ids the intake has accepted, so that a replayed delivery is dropped (PLAT-15).
 * Replicas of the intake share them through PostgreSQL; the local stack keeps them in memory.
 */
export interface SeenDeliveries {
  /** Records the id; false when it was already recorded and has not expired: a replay. */
  claim(source: string, deliveryId: string): Promise<boolean>;
  /** Forgets a claimed id when its grade return could not be started, so the sender's retry is taken. */
  release(source: string, deliveryId: string): Promise<void>;
}

/**
 * How long an id is remembered: far longer than the signature window (which already refuses older
 * deliveries) and than any sender's retry schedule, so a late retry of a delivered id is still a duplicate.
 */
export const DELIVERY_ID_RETENTION_SECONDS = 24 * 3600;
const PURGE_EVERY_MS = 60_000;

/** In one process, with expiry: for the local stack and tests. */
export class MemorySeenDeliveries implements SeenDeliveries {
  readonly #expiresAt = new Map<string, number>();
  #lastPurge = 0;

  constructor(
    private readonly retentionSeconds = DELIVERY_ID_RETENTION_SECONDS,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(source: string, deliveryId: string): Promise<boolean> {
    const now = this.now();
    this.#purge(now);
    const key = `${source}\u001f${deliveryId}`;
    const until = this.#expiresAt.get(key);
    if (until !== undefined && until > now) return false;
    this.#expiresAt.set(key, now + this.retentionSeconds * 1000);
    return true;
  }

  async release(source: string, deliveryId: string): Promise<void> {
    this.#expiresAt.delete(`${source}\u001f${deliveryId}`);
  }

  get size(): number {
    return this.#expiresAt.size;
  }

  #purge(now: number): void {
    if (now - this.#lastPurge < PURGE_EVERY_MS) return;
    this.#lastPurge = now;
    for (const [key, until] of this.#expiresAt) if (until <= now) this.#expiresAt.delete(key);
  }
}

export const seenDeliveriesMigrations: readonly Migration[] = [
  {
    id: 'intake/001-seen-deliveries',
    sql: `CREATE TABLE intake_seen_deliveries (
  source text NOT NULL,
  delivery_id text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (source, delivery_id)
);
CREATE INDEX intake_seen_deliveries_expires_at ON intake_seen_deliveries (expires_at);`,
  },
];

/**
 * Shared by every intake replica. The database's clock decides expiry, so replicas with skewed
 * clocks agree; one INSERT decides a race between two replicas receiving the same delivery.
 */
export class PostgresSeenDeliveries implements SeenDeliveries {
  #lastPurge = 0;

  private constructor(
    private readonly pool: Pool,
    private readonly retentionSeconds: number,
  ) {}

  /** Applies this store's migrations, then returns it. */
  static async create(
    pool: Pool,
    retentionSeconds = DELIVERY_ID_RETENTION_SECONDS,
  ): Promise<PostgresSeenDeliveries> {
    await runMigrations(pool, seenDeliveriesMigrations);
    return new PostgresSeenDeliveries(pool, retentionSeconds);
  }

  async claim(source: string, deliveryId: string): Promise<boolean> {
    await this.#purge();
    // A live row blocks the insert; an expired one is taken over as if it were new.
    const { rowCount } = await this.pool.query(
      `INSERT INTO intake_seen_deliveries (source, delivery_id, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (source, delivery_id) DO UPDATE
         SET received_at = now(), expires_at = EXCLUDED.expires_at
         WHERE intake_seen_deliveries.expires_at <= now()`,
      [source, deliveryId, this.retentionSeconds],
    );
    return rowCount === 1;
  }

  async release(source: string, deliveryId: string): Promise<void> {
    await this.pool.query('DELETE FROM intake_seen_deliveries WHERE source = $1 AND delivery_id = $2', [
      source,
      deliveryId,
    ]);
  }

  async #purge(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastPurge < PURGE_EVERY_MS) return;
    this.#lastPurge = now;
    await this.pool.query('DELETE FROM intake_seen_deliveries WHERE expires_at <= now()');
  }
}

/**
 * The store the intake process uses: PostgreSQL when `DATABASE_URL` is configured, else memory.
 * Production takes only PostgreSQL: with memory, a replica or a restart would forget what it saw.
 */
export async function seenDeliveriesFromConfig(
  config: Pick<AppConfig, 'environment' | 'database'>,
  logger: AppLogger,
): Promise<{ store: SeenDeliveries; where: 'postgresql' | 'memory'; close(): Promise<void> }> {
  if (!config.database.url) {
    if (config.environment === 'production') {
      throw new ConfigError([
        "DATABASE_URL (or DATABASE_URL_FILE): is required in production, where the intake's replicas share the delivery ids they have seen",
      ]);
    }
    return { store: new MemorySeenDeliveries(), where: 'memory', close: async () => undefined };
  }
  const pool = createPool(config.database, logger, "the intake's seen delivery ids");
  try {
    return { store: await PostgresSeenDeliveries.create(pool), where: 'postgresql', close: () => pool.end() };
  } catch (err) {
    await pool.end();
    throw err;
  }
}
