/**
 * Grade return on the real Temporal dev server: the whole push path from an e-learning webhook to
 * Coachview, and a worker process killed mid-attempt and restarted.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { gradeReturnStarter } from '../../../client/grade-return';
import { gradeReturnWorkflowId, searchAttributes } from '../../../platform/names';
import { Secret } from '../../../platform/secret';
import { startIntakeServer, type IntakeServer } from '../../../services/intake';
import { startSmtpSink, type SmtpSink } from '../../../services/smtp-sink';
import { startCoachviewSimulator, type CoachviewSimulator } from '../../../simulators/coachview';
import { startIliasSimulator, type IliasSimulator } from '../../../simulators/ilias';
import type { RunningDevServer } from '../../../stack/temporal-dev-server';
import { gradeReturnStatusQuery } from '../../../workflows/grade-return';
import { enrolledLearner, gradeReturnWorker } from '../../support/grade-return-harness';
import { startTestDevServer, type TestDevServer } from '../../support/dev-server';
import { freePort } from '../../support/ports';
import { uniqueTaskQueue } from '../../support/temporal';
import { spawnWorkerProcess, waitForExit } from '../../support/worker-process';

jest.setTimeout(180_000);

let dev: TestDevServer;
let server: RunningDevServer;
let client: Client;
let nativeConnection: NativeConnection;
let coachview: CoachviewSimulator;
let smtp: SmtpSink;

beforeAll(async () => {
  dev = await startTestDevServer('grade-return-dev');
  ({ server, client } = dev);
  nativeConnection = await NativeConnection.connect({ address: server.address });
  coachview = await startCoachviewSimulator();
  smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
});

afterAll(async () => {
  await nativeConnection?.close();
  await coachview?.close();
  await smtp?.close();
  await dev?.stop();
});

describe('the push path', () => {
  let intake: IntakeServer;
  let ilias: IliasSimulator;
  const taskQueue = uniqueTaskQueue('grade-return-push');

  beforeAll(async () => {
    const secret = 'ilias-webhook-secret';
    intake = await startIntakeServer({
      port: 0,
      secrets: { ilias: new Secret(secret), anewspring: new Secret('anewspring-webhook-secret') },
      startGradeReturn: gradeReturnStarter(client, { maxDailyAttempts: 30, taskQueue }),
    });
    ilias = await startIliasSimulator({
      port: 0,
      webhookUrl: `${intake.url}/webhooks/ilias`,
      webhookSecret: secret,
    });
  });
  afterAll(async () => {
    await ilias?.close();
    await intake?.close();
  });

  it('[CV-1][CV-2][CV-7][PLAT-5] an Ilias completion webhook becomes one workflow that registers the grade in Coachview; a later completion changes nothing', async () => {
    coachview.seed(enrolledLearner('P-4711', '8812'));
    ilias.state.seed({
      users: [{ usr_id: 77, login: 'jbos', firstname: 'Jan', lastname: 'Bos', ext_account: 'P-4711' }],
      courses: [{ obj_id: 500, ref_id: 8812, title: 'Hygiene' }],
    });
    const worker = await gradeReturnWorker({
      connection: nativeConnection,
      client,
      taskQueue,
      coachview,
      smtp,
    });
    await worker.runUntil(async () => {
      const { delivery } = await ilias.state.complete(77, 8812, '8.1', '2026-11-20T10:00:00+01:00');
      expect(delivery.outcome).toBe('delivered');
      // The same webhook again (the sender retried): no second workflow.
      const again = await ilias.state.complete(77, 8812, '8.1', '2026-11-20T10:00:00+01:00');
      expect(again.delivery.attempts.at(-1)?.response).toContain('duplicate');

      const handle = client.workflow.getHandle(gradeReturnWorkflowId('ilias', '8812', 'P-4711'));
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'registered', attemptsMade: 1 });
      const description = await handle.describe();
      expect(description.typedSearchAttributes.get(searchAttributes.integration)).toBe('grade-return');
      expect(description.typedSearchAttributes.get(searchAttributes.sourceId)).toBe('ilias:8812:P-4711');
      expect(description.typedSearchAttributes.get(searchAttributes.schoolYear)).toBe('2026/2027');
      expect(description.typedSearchAttributes.get(searchAttributes.integrationStatus)).toBe('registered');
      expect((await handle.query(gradeReturnStatusQuery)).phase).toBe('registered');

      // [CV-7][CV-3] A newer completion after the registration: the real server's signal-with-start
      // refuses to restart a run that succeeded, so nothing starts and nothing changes.
      const events = (await handle.fetchHistory()).events?.length;
      const newer = gradeReturnStarter(client, { maxDailyAttempts: 30, taskQueue });
      expect(
        await newer({
          source: 'ilias',
          learnerId: 'P-4711',
          courseId: '8812',
          grade: '9.5',
          completedAt: '2026-11-25T10:00:00+01:00',
        }),
      ).toBe('duplicate');
      expect((await handle.describe()).runId).toBe(description.runId);
      expect((await handle.fetchHistory()).events?.length).toBe(events);
    });
    const component = coachview.state().enrolments.find((e) => e.personId === 'P-4711');
    expect(component).toMatchObject({
      result: '8.1',
      trainingRequestComponent: { approvalDate: '2026-11-20' },
    });
    expect(coachview.pushLog().filter((p) => p.outcome === 'processed')).toHaveLength(1);
  });
});

it('[PLAT-8][CV-4] a worker killed mid-attempt and restarted leaves exactly one registration', async () => {
  coachview.reset();
  coachview.seed(enrolledLearner('P-5150', 'course-kill'));
  // Every Coachview call takes 3 s, so the worker can be killed while its result push is in flight.
  coachview.faults({ latencyMs: 3000 });
  const env = {
    TEMPORAL_ADDRESS: server.address,
    COACHVIEW_API_URL: coachview.url,
    COACHVIEW_RESULT_PUSH_URL: `${coachview.url}/elearning/results`,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.smtpPort),
    WORKER_METRICS_PORT: String(await freePort()),
    // The shared snapshot of Coachview (CV-6) lives in the store: this simulator's, not an earlier run's.
    STORE_DIR: mkdtempSync(path.join(tmpdir(), 'grade-return-store-')),
  };
  const first = spawnWorkerProcess(env);
  const completion = {
    source: 'moodle' as const,
    learnerId: 'P-5150',
    courseId: 'course-kill',
    grade: '6.9',
    completedAt: '2026-11-19',
  };
  expect(await gradeReturnStarter(client, { maxDailyAttempts: 30 })(completion)).toBe('started');

  // Two REST requests counted (the shared snapshot's person page and course page, CV-6) means the
  // next call, the push, is on its way; kill during its latency.
  const deadline = Date.now() + 60_000;
  while (Object.values(coachview.usage().apiRequestsToday).reduce((a, b) => a + b, 0) < 2) {
    if (Date.now() > deadline) throw new Error(`the worker never looked up the learner:\n${first.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 1500));
  first.kill('SIGKILL');
  await waitForExit(first);
  expect(coachview.pushLog().filter((p) => p.outcome === 'processed')).toHaveLength(0);

  coachview.faults({ latencyMs: 0 });
  const second = spawnWorkerProcess({ ...env, WORKER_METRICS_PORT: String(await freePort()) });
  try {
    const handle = client.workflow.getHandle(gradeReturnWorkflowId('moodle', 'course-kill', 'P-5150'));
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'registered', attemptsMade: 1 });
  } finally {
    second.kill('SIGTERM');
    await waitForExit(second);
  }
  // The push the dead worker sent was processed by Coachview; the retry saw it and did not push again.
  expect(coachview.pushLog().filter((p) => p.outcome === 'processed')).toHaveLength(1);
  expect(coachview.pushLog().filter((p) => p.outcome === 'already-completed')).toHaveLength(0);
  expect(coachview.state().enrolments.find((e) => e.personId === 'P-5150')?.result).toBe('6.9');
});
