import path from 'node:path';
import type { Pool } from 'pg';
import type { AppConfig } from '../config';
import { runMigrations } from '../postgres';
import { repoRoot } from '../tools';
import { createLocalStore } from './local-store';
import { createPostgresStore, snapshotStoreMigrations } from './postgres-store';
import type { SnapshotStore } from './snapshot-store';

export interface ConfiguredStore {
  store: SnapshotStore;
  /** Where an operator finds a key, for messages: the file, or the table. */
  whereIs(key: string): string;
}

/**
 * The snapshot store the configuration names (`STORE_BACKEND`): the folder `STORE_DIR`, or the
 * platform's PostgreSQL through the process's one pool (its tables are created or brought up to
 * date here).
 */
export async function snapshotStoreFromConfig(
  config: Pick<AppConfig, 'store' | 'rosterSync'>,
  database: (neededBy: string) => Pool,
): Promise<ConfiguredStore> {
  if (config.store.backend === 'postgres') {
    const pool = database('STORE_BACKEND=postgres');
    await runMigrations(pool, snapshotStoreMigrations);
    return {
      store: createPostgresStore(pool),
      whereIs: (key) => `PostgreSQL table snapshot_objects, key ${key}`,
    };
  }
  const dir = path.resolve(repoRoot, config.rosterSync.storeDir);
  return { store: createLocalStore(dir), whereIs: (key) => `file: ${path.join(dir, key)}` };
}
