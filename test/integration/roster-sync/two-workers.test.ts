/**
 * PLAT-12: one roster sync finished by two worker processes that share no disk. Worker 1 reads and
 * plans, the safety filter stops the run, worker 1 dies; worker 2, on a fresh empty folder, applies
 * the approved plan it reads from PostgreSQL. Real dev server, real worker entry point, real
 * PostgreSQL, itslearning simulator.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { taskQueues } from '../../../platform/names';
import { rosterSyncKeys } from '../../../platform/store';
import { repoRoot } from '../../../platform/tools';
import { startSmtpSink, type SmtpSink } from '../../../services/smtp-sink';
import { startItslearningSimulator, type ItslearningSimulator } from '../../../simulators/itslearning';
import type { RunningDevServer } from '../../../stack/temporal-dev-server';
import { approveUpdate, rosterSyncStatusQuery, rosterSyncWorkflow } from '../../../workflows/roster-sync';
import { startTestDevServer, type TestDevServer } from '../../support/dev-server';
import { freePort } from '../../support/ports';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { ROSTER_SYNC_DATE, seedDeparted } from '../../support/roster-sync-harness';
import { spawnWorkerProcess, waitForExit } from '../../support/worker-process';

jest.setTimeout(180_000);

let dev: TestDevServer;
let server: RunningDevServer;
let client: Client;
let itslearning: ItslearningSimulator;
let smtp: SmtpSink;
let db: TestDatabase;
const folders: string[] = [];
const workers: Array<ReturnType<typeof spawnWorkerProcess>> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  dev = await startTestDevServer('roster-two-workers');
  ({ server, client } = dev);
  itslearning = await startItslearningSimulator({ syncKeySource: 'procapita' });
  smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
});

afterAll(async () => {
  for (const worker of workers) {
    worker.kill('SIGKILL');
    await waitForExit(worker);
  }
  await itslearning?.close();
  await smtp?.close();
  await dev?.stop();
  await db?.drop();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** An empty folder of its own for one worker process ("its machine"), holding only its settings file. */
function machineFolder(name: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), `${name}-`));
  folders.push(folder);
  // More than 5 persons leaving stops the run for approval.
  writeFileSync(
    path.join(folder, 'thresholds.json'),
    JSON.stringify({ perType: { person: { deletes: { max: 5 } } } }),
  );
  return folder;
}

/** Every file under a folder, relative to it. */
function filesIn(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(folder, path.join(e.parentPath, e.name)))
    .sort();
}

async function workerIn(folder: string) {
  const worker = spawnWorkerProcess(
    {
      TEMPORAL_ADDRESS: server.address,
      GRADE_RETURN_ENABLED: 'false',
      ROSTER_SYNC_ENABLED: 'true',
      STORE_BACKEND: 'postgres',
      DATABASE_URL: db.url,
      STORE_DIR: path.join(folder, 'store'),
      ROSTER_SAFETY_THRESHOLDS_FILE: path.join(folder, 'thresholds.json'),
      ITSLEARNING_URL: itslearning.url,
      PROCAPITA_FIXTURE: path.join(repoRoot, 'test/fixtures/procapita/small.json'),
      PROCAPITA_READER_CONFIG: path.join(repoRoot, 'test/fixtures/procapita/small.config.json'),
      ROSTER_BATCH_SIZE: '15',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.smtpPort),
      WORKER_METRICS_PORT: String(await freePort()),
    },
    { cwd: folder },
  );
  workers.push(worker);
  return worker;
}

async function storedKeys(prefix: string): Promise<string[]> {
  const pg = new PgClient({ connectionString: db.url });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ key: string }>(
      'SELECT key FROM snapshot_objects WHERE starts_with(key, $1) ORDER BY key',
      [prefix],
    );
    return rows.map((r) => r.key);
  } finally {
    await pg.end();
  }
}

it('[PLAT-12] two worker processes that share no disk finish one roster sync between them', async () => {
  seedDeparted(itslearning, 8);
  const folder1 = machineFolder('worker-1');
  const folder2 = machineFolder('worker-2');

  const first = await workerIn(folder1);
  const handle = await client.workflow.start(rosterSyncWorkflow, {
    taskQueue: taskQueues.rosterSync,
    workflowId: `roster-sync-two-workers-${Date.now()}`,
    args: [{ syncDate: ROSTER_SYNC_DATE }],
  });
  const deadline = Date.now() + 90_000;
  let status = null;
  while (status?.phase !== 'awaiting-approval') {
    if (Date.now() > deadline || first.exitCode !== null) {
      throw new Error(`worker 1 did not bring the run to approval (${status?.phase}):\n${first.output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
    status = await handle.query(rosterSyncStatusQuery).catch(() => null);
  }
  const runId = (await handle.describe()).runId;
  const keys = rosterSyncKeys(runId);
  expect(status.plan?.key).toBe(keys.plan);
  expect(status.plan?.howToView).toContain('PostgreSQL table snapshot_objects');
  expect(status.summary?.byType.person.delete).toBe(8);
  // Worker 1 kept the run's data in PostgreSQL, nothing on its own disk.
  expect(await storedKeys(`roster-sync/${runId}/`)).toEqual([keys.plan, keys.source, keys.target]);
  expect(filesIn(folder1)).toEqual(['thresholds.json']);

  first.kill('SIGKILL');
  await waitForExit(first);
  expect(itslearning.importer.log).toHaveLength(0);

  const second = await workerIn(folder2);
  await handle.executeUpdate(approveUpdate, {
    args: [{ operator: 'ops@school.test', comment: 'PLAT-12' }],
  });
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    handle.result(),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the run did not finish; worker 2 said:\n${second.output()}`)),
        120_000,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  expect(result.phase).toBe('applied');

  // Exactly the plan worker 1 made: every operation once, in batches each applied once.
  const planned = status.summary?.totals;
  const operations = (planned?.create ?? 0) + (planned?.update ?? 0) + (planned?.delete ?? 0);
  expect(operations).toBeGreaterThan(100);
  expect(result.applied?.operations).toBe(operations);
  const applied = itslearning.importer.log.filter((e) => e.outcome === 'applied');
  expect(applied).toHaveLength(result.applied?.batches ?? -1);
  const idempotencyKeys = applied.map((e) => e.idempotencyKey);
  expect(new Set(idempotencyKeys).size).toBe(idempotencyKeys.length);
  const synced = [...itslearning.state.persons.values()].filter((p) => p.syncKey?.source === 'procapita');
  expect(synced.some((p) => p.syncKey?.id.startsWith('departed-'))).toBe(false);
  expect(synced).toHaveLength(status.summary?.byType.person.create ?? -1);
  expect(filesIn(folder2)).toEqual(['thresholds.json']);

  // The target now equals the plan: the next run, on worker 2 alone, has nothing to do.
  const again = await client.workflow.start(rosterSyncWorkflow, {
    taskQueue: taskQueues.rosterSync,
    workflowId: `roster-sync-two-workers-again-${Date.now()}`,
    args: [{ syncDate: ROSTER_SYNC_DATE }],
  });
  expect((await again.result()).phase).toBe('nothing-to-do');
});
