/**
 * Retention of the snapshot store (PLAT-12): stored snapshots and plans hold personal data, so
 * what is older than the retention days is removed. Run daily by the `store-retention` schedule.
 */
import { log } from '@temporalio/activity';
import type { SnapshotStore } from '../../platform/store';

export interface StoreActivityDeps {
  store: SnapshotStore;
}

export interface RetentionResult {
  retentionDays: number;
  /** Values written before this were removed. */
  cutoff: string;
  removed: number;
  /** The folders (e.g. `roster-sync/<runId>`) whose values were removed; the first 50. */
  folders: string[];
}

const FOLDERS_SHOWN = 50;

export function createStoreActivities(deps: StoreActivityDeps) {
  return {
    async removeExpiredSnapshots(input: { retentionDays: number }): Promise<RetentionResult> {
      const cutoff = new Date(Date.now() - input.retentionDays * 86_400_000);
      const keys = await deps.store.removeOlderThan(cutoff);
      const folders = [...new Set(keys.map((k) => k.split('/').slice(0, -1).join('/')))];
      log.info('expired snapshots removed', { removed: keys.length, cutoff: cutoff.toISOString() });
      return {
        retentionDays: input.retentionDays,
        cutoff: cutoff.toISOString(),
        removed: keys.length,
        folders: folders.slice(0, FOLDERS_SHOWN),
      };
    },
  };
}

export type StoreActivities = ReturnType<typeof createStoreActivities>;
