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

/** Where an integration's year-end data lives (IMSE-6, IMSE-7): rewritten while in use, never in history. */
export function yearEndKeys(integrationId: string) {
  const base = assertStoreKey(`year-end/${integrationId}`);
  return {
    summerData: `${base}/summer-data.json`,
    heldDeletes: `${base}/held-deletes.json`,
    /** What the runs of the window starting `start` applied, per school (its summer report). */
    summerReport: (start: string) => assertStoreKey(`${base}/summer-report-${start}.json`),
  } as const;
}
