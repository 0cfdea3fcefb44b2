/**
 * The client side of the year-end (IMSE-6, IMSE-7): summer data from a JSON file into the store,
 * and the held deletes, the closing run's deletes and the summer report read back from it, for the CLI.
 */
import { describeIssues } from '../domain/grade-return/input';
import {
  operationKey,
  summerDataSchema,
  syncPlanSchema,
  type SummerData,
  type SyncPlan,
} from '../domain/roster';
import {
  buildSummerReport,
  summerReportEmail,
  type DelayDeleteStatus,
  type SummerReportDocument,
} from '../domain/roster-sync';
import { yearEndKeys, type SnapshotStore } from '../platform/store';

export class SummerDataError extends Error {}

/** Checks and stores an integration's summer data (replacing what was there); returns its key. */
export async function storeSummerData(
  store: SnapshotStore,
  json: unknown,
): Promise<{ key: string; summer: SummerData }> {
  const parsed = summerDataSchema.safeParse(json);
  if (!parsed.success) throw new SummerDataError(`Invalid summer data: ${describeIssues(parsed.error)}`);
  const summer = parsed.data;
  const key = yearEndKeys(summer.integrationId).summerData;
  await store.putJson(key, summer);
  return { key, summer };
}

export async function removeSummerData(store: SnapshotStore, integrationId: string): Promise<boolean> {
  const key = yearEndKeys(integrationId).summerData;
  if (!(await store.exists(key))) return false;
  await store.delete(key);
  return true;
}

/** One line per operation: `delete person p-1 (Anna Andersson)`. */
export function describeOperations(operations: SyncPlan['operations']): string[] {
  return operations.map((o) => {
    const r = o.record as { givenName?: string; familyName?: string; name?: string };
    const name = r.name ?? [r.givenName, r.familyName].filter(Boolean).join(' ');
    return `${o.op} ${o.entityType} ${operationKey(o).replace('\u001f', ' / ')}${name ? ` (${name})` : ''}`;
  });
}

/** What the last run inside a delay-delete window held, or null when none has run. */
export async function heldDeletesList(store: SnapshotStore, integrationId: string) {
  const key = yearEndKeys(integrationId).heldDeletes;
  if (!(await store.exists(key))) return null;
  const list = (await store.getJson(key)) as {
    asOf: string;
    runWorkflowId: string;
    until: string;
    total: number;
    held: SyncPlan['held'];
  };
  return { ...list, held: describeOperations(list.held.map((h) => h.operation)) };
}

/** The deletes of a stored plan (the closing run's preview). */
export async function deletesOfPlan(store: SnapshotStore, planKey: string): Promise<string[]> {
  const plan = syncPlanSchema.parse(await store.getJson(planKey));
  return describeOperations(plan.operations.filter((o) => o.op !== 'create' && o.op !== 'update'));
}

/** The summer report of a window as it stands now (what its runs applied so far), as the e-mail's text. */
export async function summerReportSoFar(
  store: SnapshotStore,
  status: DelayDeleteStatus,
  workflowId: string,
): Promise<{ key: string; runs: number; text: string }> {
  const key = yearEndKeys(status.integrationId).summerReport(status.start);
  const doc: SummerReportDocument = (await store.exists(key))
    ? {
        ...((await store.getJson(key)) as SummerReportDocument),
        window: { start: status.start, end: status.end },
      }
    : {
        integrationId: status.integrationId,
        window: { start: status.start, end: status.end },
        schools: {},
        runs: {},
      };
  const report = buildSummerReport(doc);
  return { key, runs: report.runs, text: summerReportEmail(report, status, workflowId).text };
}
