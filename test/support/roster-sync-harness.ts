/**
 * Shared set-up for roster-sync workflow tests and the history recorder: a worker on the roster-sync
 * bundle, reading the small ProCapita fixture, writing to the itslearning simulator over HTTP and
 * mailing the SMTP sink.
 */
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createRosterSyncActivities, type RosterSource } from '../../activities';
import { createItslearningClient } from '../../adapters/itslearning';
import { createMailer } from '../../adapters/mail';
import { safetyThresholdsSchema, type SafetyThresholdsInput } from '../../domain/roster';
import type { RosterSyncPhase } from '../../domain/roster-sync';
import { loadConfig } from '../../platform/config';
import { taskQueues } from '../../platform/names';
import { createLocalStore } from '../../platform/store';
import { repoRoot } from '../../platform/tools';
import type { SmtpSink } from '../../services/smtp-sink';
import type { ItslearningSimulator } from '../../simulators/itslearning';
import { createIntegrationWorker } from '../../workers/create-worker';
import { rosterSyncStatusQuery, type rosterSyncWorkflow } from '../../workflows/roster-sync';
import { buildRosterSource } from '../../workers/roster-source';
import { testCodec, testCodecKeys } from './codec';
import { workflowBundle } from './temporal';

export const ROSTER_OPS = 'roster-ops@school.test';
/** The date the small fixture was generated for. */
export const ROSTER_SYNC_DATE = '2026-08-20';

export async function rosterSyncWorker(opts: {
  connection: NativeConnection;
  taskQueue: string;
  itslearning: ItslearningSimulator;
  smtp: SmtpSink;
  storeDir: string;
  thresholds: SafetyThresholdsInput;
  /** Another ProCapita fixture than the small one (same reader configuration). */
  fixturePath?: string;
  /** A roster source of the test's own instead of ProCapita (e.g. with courses and terms). */
  rosterSource?: RosterSource;
}): Promise<Worker> {
  const config = loadConfig({
    CODEC_KEYS: JSON.stringify(testCodecKeys),
    CODEC_ACTIVE_KEY_ID: 'test-2026-a',
    PROCAPITA_FIXTURE: opts.fixturePath ?? path.join(repoRoot, 'test/fixtures/procapita/small.json'),
    PROCAPITA_READER_CONFIG: path.join(repoRoot, 'test/fixtures/procapita/small.config.json'),
  });
  return createIntegrationWorker({
    connection: opts.connection,
    namespace: 'default',
    taskQueue: opts.taskQueue,
    codec: testCodec(),
    workflows: { bundle: await workflowBundle(taskQueues.rosterSync) },
    activities: createRosterSyncActivities({
      store: createLocalStore(opts.storeDir),
      rosterSource: opts.rosterSource ?? (await buildRosterSource(config)),
      itslearning: createItslearningClient({ baseUrl: opts.itslearning.url, syncKeySource: 'procapita' }),
      mailer: createMailer({
        host: '127.0.0.1',
        port: opts.smtp.smtpPort,
        secure: false,
        from: 'integrations@school.test',
      }),
      statusRecipients: [ROSTER_OPS],
      syncKeySource: 'procapita',
      safetyThresholds: safetyThresholdsSchema.parse(opts.thresholds),
      batchSize: 50,
      planViewHint: (key) => `see ${key}`,
    }),
  });
}

/** Persons the integration created earlier that are gone from the source: deletes the filter counts. */
export function seedDeparted(itslearning: ItslearningSimulator, n: number): void {
  itslearning.state.seed({
    persons: Array.from({ length: n }, (_, i) => ({
      syncKey: { source: 'procapita', id: `departed-${i}` },
      firstName: 'Gone',
      lastName: `Person ${i}`,
    })),
  });
}

/** Polls the status query until the run reaches `phase` (30 s at most). */
export async function waitForPhase(
  handle: WorkflowHandle<typeof rosterSyncWorkflow>,
  phase: RosterSyncPhase,
) {
  for (let i = 0; i < 300; i++) {
    const status = await handle.query(rosterSyncStatusQuery);
    if (status.phase === phase) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never reached ${phase}`);
}
