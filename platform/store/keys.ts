import { assertStoreKey } from './snapshot-store';

/** Where one roster sync run keeps its data; the run id is the workflow's run id. */
export function rosterSyncKeys(runId: string) {
  const base = assertStoreKey(`roster-sync/${runId}`);
  return {
    source: `${base}/source.json`,
    target: `${base}/target.json`,
    plan: `${base}/plan.json`,
  } as const;
}
