import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Pool } from 'pg';
import type { AppConfig } from '../config';
import type { AppLogger } from '../logging';

/** `DATABASE_*` from the configuration. */
export type DatabaseConfig = Omit<AppConfig['database'], 'tlsCaFile'> & { tlsCaFile?: string };

/** Thrown when a piece needs the platform's PostgreSQL and `DATABASE_URL` is not set. */
export class DatabaseNotConfiguredError extends Error {
  constructor(readonly neededBy: string) {
    super(`DATABASE_URL (or DATABASE_URL_FILE): is required for ${neededBy}`);
    this.name = 'DatabaseNotConfiguredError';
  }
}

function tlsOptions(config: DatabaseConfig): boolean | ConnectionOptions {
  if (config.tls === 'off') return false;
  if (config.tls === 'require') return { rejectUnauthorized: false };
  return config.tlsCaFile ? { ca: readFileSync(config.tlsCaFile, 'utf8') } : true;
}

/**
 * The one pool a process keeps to the platform's PostgreSQL (PLAT-12), built by the composition
 * root and handed to every piece that keeps shared state there. The URL's own `sslmode` is
 * overridden by `DATABASE_TLS`, so TLS is decided in one place.
 */
export function createPool(config: DatabaseConfig, logger: AppLogger, neededBy: string): Pool {
  if (!config.url) throw new DatabaseNotConfiguredError(neededBy);
  const url = new URL(config.url.reveal());
  url.searchParams.delete('sslmode');
  const pool = new Pool({
    connectionString: url.toString(),
    ssl: tlsOptions(config),
    max: config.poolSize,
    application_name: 'school-integrations',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (err) =>
    logger.warn({ err: { message: err.message } }, 'idle PostgreSQL connection failed'),
  );
  return pool;
}
