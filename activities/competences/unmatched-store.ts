/**
 * The link's participants without a WinLas person (CW-3), kept in the snapshot store (personal data
 * stays out of workflow history). One link's activities run one at a time, so read-modify-write is safe.
 */
import type { UnmatchedParticipant } from '../../domain/competences';
import { StoreKeyNotFoundError, type SnapshotStore } from '../../platform/store';

export const UNMATCHED_SAMPLE = 20;

export async function readUnmatched(store: SnapshotStore, key: string): Promise<UnmatchedParticipant[]> {
  try {
    return (await store.getJson(key)) as UnmatchedParticipant[];
  } catch (err) {
    if (err instanceof StoreKeyNotFoundError) return [];
    throw err;
  }
}

/**
 * Adds the new, drops the matched; writes when something changed. `keep`: the list is still in use,
 * so an unchanged one is kept from the store's retention too.
 */
export async function updateUnmatched(
  store: SnapshotStore,
  key: string,
  change: { add?: readonly UnmatchedParticipant[]; remove?: readonly string[]; keep?: boolean },
): Promise<UnmatchedParticipant[]> {
  const before = await readUnmatched(store, key);
  const remove = new Set(change.remove ?? []);
  const byResult = new Map<string, UnmatchedParticipant>();
  for (const u of [...before, ...(change.add ?? [])]) {
    const id = `${u.guideId}:${u.resultId}`;
    if (!remove.has(u.resultId)) byResult.set(id, u);
  }
  const after = [...byResult.values()];
  const changed = after.length !== before.length || (change.add?.length ?? 0) > 0;
  if (changed) await store.putJson(key, after);
  else if (change.keep) await store.keep(key);
  return after;
}

export function unmatchedSummary(all: readonly UnmatchedParticipant[]) {
  return { count: all.length, sample: all.slice(0, UNMATCHED_SAMPLE) };
}
