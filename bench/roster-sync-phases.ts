import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readEmailMapping, readFixture } from '../adapters/procapita';
import {
  conformRosterToImse,
  createItslearningClient,
  toImseDocument,
  type ItslearningClient,
} from '../adapters/itslearning';
import { buildExport } from '../domain/procapita/build-export';
import { procapitaReaderConfigSchema } from '../domain/procapita/config';
import {
  batchPlan,
  countSynced,
  emptyTargetState,
  evaluateSafetyFilter,
  planSync,
  safetyThresholdsSchema,
  summarizePlan,
  type PlanPolicy,
  type PlanSummary,
  type Roster,
  type SafetyVerdict,
  type SyncPlan,
  type TargetState,
} from '../domain/roster';
import { procapitaToRoster } from '../domain/roster-sync';
import { FIXTURE_FILES } from './roster-sync-generate';

export const SYNC_KEY_SOURCE = 'procapita';

/** The worker's read path: fixture rows, reader configuration and mapping, export, canonical roster. */
export async function readSource(dir: string, syncDate: string): Promise<Roster> {
  const config = procapitaReaderConfigSchema.parse(
    JSON.parse(await readFile(path.join(dir, FIXTURE_FILES.config), 'utf8')),
  );
  const [rows, mapping] = await Promise.all([
    readFixture(path.join(dir, FIXTURE_FILES.rows)),
    readEmailMapping(path.join(dir, config.emailMappingCsv ?? FIXTURE_FILES.emailMapping)),
  ]);
  return procapitaToRoster(buildExport(rows, config, syncDate, mapping).export);
}

export function policyFor(syncDate: string): PlanPolicy {
  return { syncKeySource: SYNC_KEY_SOURCE, asOf: syncDate };
}

/** As the plan activity does: fit the source into IMS Enterprise 1.1's limits (IMSE-12), then plan. */
export function plan(source: Roster, target: TargetState, syncDate: string): SyncPlan {
  return planSync(conformRosterToImse(source).roster, target, policyFor(syncDate));
}

export function emptyTarget(): TargetState {
  return emptyTargetState();
}

export function filter(
  syncPlan: SyncPlan,
  target: TargetState,
): { summary: PlanSummary; verdict: SafetyVerdict } {
  const summary = summarizePlan(syncPlan);
  const verdict = evaluateSafetyFilter(
    summary,
    countSynced(target, SYNC_KEY_SOURCE),
    safetyThresholdsSchema.parse({}),
  );
  return { summary, verdict };
}

export function clientFor(baseUrl: string): ItslearningClient {
  return createItslearningClient({ baseUrl, syncKeySource: SYNC_KEY_SOURCE });
}

/** Sends every batch in order, one at a time, as the apply activity does; returns operations sent. */
export async function applyPlan(
  client: ItslearningClient,
  syncPlan: SyncPlan,
  batchSize: number,
  runId: string,
  onProgress: (sentBatches: number, totalBatches: number) => void,
): Promise<{ operations: number; batches: number }> {
  const batches = batchPlan(syncPlan, batchSize, { runId });
  let operations = 0;
  for (const batch of batches) {
    await client.importDocument(toImseDocument(batch), batch.idempotencyKey);
    operations += batch.operations.length;
    onProgress(batch.index + 1, batches.length);
  }
  return { operations, batches: batches.length };
}
