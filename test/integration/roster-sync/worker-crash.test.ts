/**
 * A worker process killed in the middle of applying a roster plan, on the real Temporal dev server:
 * the restarted worker resumes from the last heartbeat, no batch is applied twice, nothing is lost.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { taskQueues } from '../../../platform/names';
import { repoRoot } from '../../../platform/tools';
import { startSmtpSink, type SmtpSink } from '../../../services/smtp-sink';
import { startItslearningSimulator, type ItslearningSimulator } from '../../../simulators/itslearning';
import type { RunningDevServer } from '../../../stack/temporal-dev-server';
import { rosterSyncWorkflow } from '../../../workflows/roster-sync';
import { startTestDevServer, type TestDevServer } from '../../support/dev-server';
import { freePort } from '../../support/ports';
import { spawnWorkerProcess, waitForExit } from '../../support/worker-process';

jest.setTimeout(180_000);

let dev: TestDevServer;
let dataDir: string;
let server: RunningDevServer;
let client: Client;
let itslearning: ItslearningSimulator;
let smtp: SmtpSink;

beforeAll(async () => {
  dev = await startTestDevServer('roster-crash');
  ({ server, client, dataDir } = dev);
  itslearning = await startItslearningSimulator({ syncKeySource: 'procapita' });
  smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
});

afterAll(async () => {
  await itslearning?.close();
  await smtp?.close();
  await dev?.stop();
});

it('[IMSE-1][PLAT-8] a worker killed mid-apply finishes with the target equal to the plan and no batch applied twice', async () => {
  const env = async () => ({
    TEMPORAL_ADDRESS: server.address,
    ROSTER_SYNC_ENABLED: 'true',
    ITSLEARNING_URL: itslearning.url,
    PROCAPITA_FIXTURE: path.join(repoRoot, 'test/fixtures/procapita/small.json'),
    PROCAPITA_READER_CONFIG: path.join(repoRoot, 'test/fixtures/procapita/small.config.json'),
    STORE_DIR: path.join(dataDir, 'store'),
    ROSTER_BATCH_SIZE: '15',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.smtpPort),
    WORKER_METRICS_PORT: String(await freePort()),
  });
  // Each import takes 300 ms, so the apply is still running when the worker dies.
  itslearning.faults.set({ latencyMs: 300 });
  const first = spawnWorkerProcess(await env());
  const handle = await client.workflow.start(rosterSyncWorkflow, {
    taskQueue: taskQueues.rosterSync,
    workflowId: `roster-sync-crash-${Date.now()}`,
    args: [{ syncDate: '2026-08-20' }],
  });
  const applied = () => itslearning.importer.log.filter((e) => e.outcome === 'applied');
  const deadline = Date.now() + 60_000;
  while (applied().length < 3) {
    if (Date.now() > deadline) throw new Error(`no imports arrived:\n${first.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  first.kill('SIGKILL');
  await waitForExit(first);
  const appliedAtCrash = applied().length;

  itslearning.faults.set({ latencyMs: 0 });
  const second = spawnWorkerProcess(await env());
  try {
    const result = await handle.result();
    expect(result.phase).toBe('applied');
    expect(result.applied?.batches).toBeGreaterThan(appliedAtCrash);
    const keys = applied().map((e) => e.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(result.applied?.batches ?? -1);

    // The target now equals the plan: planning the same source again writes nothing.
    const again = await client.workflow.start(rosterSyncWorkflow, {
      taskQueue: taskQueues.rosterSync,
      workflowId: `roster-sync-crash-again-${Date.now()}`,
      args: [{ syncDate: '2026-08-20' }],
    });
    expect((await again.result()).phase).toBe('nothing-to-do');
  } finally {
    second.kill('SIGTERM');
    await waitForExit(second);
  }
});
