/**
 * What a competence workflow test file starts once: a Temporal test environment (time-skipping or dev
 * server), a client with the test codec, the InfoCaption and WinLas simulators, the SMTP sink, a
 * scratch store folder and a running competence worker on its own task queue. Registers the jest
 * hooks; `bind` hands the running parts to the file's own variables.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { dataConverter } from '../../platform/codec';
import { startSmtpSink, type SmtpSink } from '../../services/smtp-sink';
import { startInfoCaptionSimulator, type InfoCaptionSimulator } from '../../simulators/infocaption';
import { startWinLasSimulator, type WinLasSimulator } from '../../simulators/winlas';
import { testCodec } from './codec';
import { competenceWorker } from './competences-harness';
import { uniqueTaskQueue } from './temporal';

export interface CompetenceTestBed {
  env: TestWorkflowEnvironment;
  /** With the test codec, as the worker; polling its queries never lets a test server skip time. */
  client: Client;
  infocaption: InfoCaptionSimulator;
  winlas: WinLasSimulator;
  smtp: SmtpSink;
  storeDir: string;
  taskQueue: string;
}

export function useCompetenceTestBed(
  createEnv: () => Promise<TestWorkflowEnvironment>,
  options: { name: string; hitsPerPage?: number },
  bind: (bed: CompetenceTestBed) => void,
): void {
  let bed: Partial<CompetenceTestBed> = {};
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    const env = await createEnv();
    bed = {
      env,
      client: new Client({
        connection: env.connection,
        namespace: env.namespace,
        dataConverter: dataConverter(testCodec()),
      }),
      infocaption: await startInfoCaptionSimulator({ rateLimitPerSecond: null }),
      winlas: await startWinLasSimulator({ rateLimitPerSecond: null }),
      smtp: await startSmtpSink({ smtpPort: 0, httpPort: 0 }),
      storeDir: mkdtempSync(path.join(tmpdir(), `${options.name}-`)),
      taskQueue: uniqueTaskQueue(options.name),
    };
    const ready = bed as CompetenceTestBed;
    worker = await competenceWorker({
      connection: env.nativeConnection,
      taskQueue: ready.taskQueue,
      infocaption: ready.infocaption,
      winlas: ready.winlas,
      smtp: ready.smtp,
      storeDir: ready.storeDir,
      ...(options.hitsPerPage ? { hitsPerPage: options.hitsPerPage } : {}),
    });
    running = worker.run();
    bind(ready);
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await bed.infocaption?.close();
    await bed.winlas?.close();
    await bed.smtp?.close();
    await bed.env?.teardown();
    if (bed.storeDir) rmSync(bed.storeDir, { recursive: true, force: true });
  });
}
