/**
 * The benchmark's own stack, apart from the local one: a Temporal dev server on free ports with its
 * state in a temp dir, a Coachview simulator that knows no learners, an SMTP sink, the real worker as
 * a child process, and a client with the same (freshly generated) payload key.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createEncryptionCodec, dataConverter } from '../platform/codec';
import { configSpec, parseConfig } from '../platform/config';
import { taskQueues } from '../platform/names';
import { startSmtpSink } from '../services/smtp-sink';
import { resultPushPath, startCoachviewSimulator, type CoachviewSimulator } from '../simulators/coachview';
import { startDevServer, stopProcess } from '../stack/temporal-dev-server';
import {
  freePort,
  pollUntil,
  sampleRss,
  spawnWorkerProcess,
  type Cleanups,
  type RssSampler,
  type WorkerProcess,
} from './support';

const NAMESPACE = 'default';
const WORKER_STOP_GRACE_MS = 30_000;
const SERVER_LOG_LINES = 20;
/** NODE_OPTIONS of the `worker` service in docker-compose.yml (test/integration/platform/deploy-config.test.ts). */
export const DEPLOYED_NODE_OPTIONS = '--max-old-space-size=256';

/**
 * Worker settings a caller may set in the benchmark's environment; all others are fixed below.
 * WORKER_NODE_OPTIONS becomes the worker's NODE_OPTIONS; by default the grade-return worker's heap
 * as docker-compose.yml deploys it, so the benchmark measures the worker as it runs in production.
 */
const PASSED_THROUGH = ['WORKER_MAX_CONCURRENT_ACTIVITIES', 'WORKER_MAX_CACHED_WORKFLOWS'] as const;

export interface BenchStack {
  client: Client;
  coachview: CoachviewSimulator;
  worker: WorkerProcess;
  rss: RssSampler;
  /** The worker's effective tuning, as its configuration parses it. */
  workerTuning: { maxConcurrentActivities: number; maxCachedWorkflows: number; nodeOptions?: string };
  dailyRequestLimit: number;
}

export async function startBenchStack(count: number, cleanups: Cleanups): Promise<BenchStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-grade-return-'));
  cleanups.add('temp dir', () => rmSync(dataDir, { recursive: true, force: true }));

  const serverLog: string[] = [];
  const server = await startDevServer({
    dataDir,
    port: await freePort(),
    uiPort: await freePort(),
    namespace: NAMESPACE,
    // A panic's cause is in its first lines, not in the stack that follows.
    log: (line) => void (serverLog.length < SERVER_LOG_LINES && serverLog.push(line)),
  }).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${serverLog.join('\n')}`);
  });
  cleanups.add('dev server', () => server.stop());

  // Coachview allows 5,000 REST requests a day; lifted so the benchmark measures the platform, not the quota.
  const dailyRequestLimit = Math.max(1_000_000, 20 * count);
  const coachview = await startCoachviewSimulator({ port: 0, dailyRequestLimit });
  cleanups.add('coachview simulator', () => coachview.close());
  const smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  cleanups.add('smtp sink', () => smtp.close());

  const keyId = `bench-${new Date().toISOString().slice(0, 10)}`;
  const keys = { [keyId]: randomBytes(32).toString('base64') };
  const workerEnv: Record<string, string> = {
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: NAMESPACE,
    CODEC_KEYS: JSON.stringify(keys),
    CODEC_ACTIVE_KEY_ID: keyId,
    COACHVIEW_API_URL: coachview.url,
    COACHVIEW_RESULT_PUSH_URL: `${coachview.url}${resultPushPath}`,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.smtpPort),
    MOODLE_URL: 'http://127.0.0.1:9',
    SCHEDULES_ENABLED: 'false',
    // The roster sync is another lifecycle with its own inputs; it is not what this measures.
    ROSTER_SYNC_ENABLED: 'false',
    WORKER_METRICS_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    ...Object.fromEntries(PASSED_THROUGH.flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : []))),
    NODE_OPTIONS: process.env.WORKER_NODE_OPTIONS ?? DEPLOYED_NODE_OPTIONS,
  };
  const { maxConcurrentActivities, maxCachedWorkflows } = parseConfig(
    { worker: configSpec.worker },
    workerEnv,
  ).worker;
  const workerTuning = { maxConcurrentActivities, maxCachedWorkflows, nodeOptions: workerEnv.NODE_OPTIONS };

  const worker = spawnWorkerProcess(workerEnv);
  cleanups.add('worker', () => stopProcess(worker.child, WORKER_STOP_GRACE_MS));
  const rss = sampleRss(worker.pid);
  cleanups.add('rss sampler', () => rss.stop());

  const connection = await Connection.connect({ address: server.address });
  cleanups.add('client connection', () => connection.close());
  const codec = createEncryptionCodec({ keys, activeKeyId: keyId });
  const client = new Client({ connection, namespace: NAMESPACE, dataConverter: dataConverter(codec) });

  await waitForWorkerPolling(client, worker);
  return { client, coachview, worker, rss, workerTuning, dailyRequestLimit };
}

/** The worker bundles its workflow code at start; measure from when it polls, not from when it spawned. */
async function waitForWorkerPolling(client: Client, worker: WorkerProcess): Promise<void> {
  await pollUntil(
    async () => {
      worker.assertAlive();
      const answer = await client.workflowService.describeTaskQueue({
        namespace: NAMESPACE,
        taskQueue: { name: taskQueues.gradeReturn },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      return (answer.pollers?.length ?? 0) > 0;
    },
    { what: 'the worker to poll its task queue', timeoutMs: 120_000, intervalMs: 500 },
  );
}
