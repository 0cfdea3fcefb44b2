/**
 * The Moodle poll as operators run it: a Temporal Schedule created from configuration at start-up,
 * which starts the poll workflow, which starts one grade return per completion (dev server).
 */
import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../../platform/config';
import { gradeReturnWorkflowId, taskQueues } from '../../../platform/names';
import { startSmtpSink, type SmtpSink } from '../../../services/smtp-sink';
import { startCoachviewSimulator, type CoachviewSimulator } from '../../../simulators/coachview';
import { startMoodleSimulator, type MoodleSimulator } from '../../../simulators/moodle';
import { desiredSchedules, ensureSchedules } from '../../../workers/schedules';
import { testCodecKeys } from '../../support/codec';
import { enrolledLearner, gradeReturnWorker } from '../../support/grade-return-harness';
import { createDevServerEnv } from '../../support/temporal';

const MOODLE_TOKEN = 'moodle-schedule-token';
let env: TestWorkflowEnvironment;
let client: Client;
let moodle: MoodleSimulator;
let coachview: CoachviewSimulator;
let smtp: SmtpSink;

const config = (overrides: Record<string, string> = {}) =>
  loadConfig({ CODEC_KEYS: JSON.stringify(testCodecKeys), CODEC_ACTIVE_KEY_ID: 'test-2026-a', ...overrides });

beforeAll(async () => {
  env = await createDevServerEnv();
  client = env.client;
  moodle = await startMoodleSimulator({ token: MOODLE_TOKEN });
  coachview = await startCoachviewSimulator();
  smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
});

afterAll(async () => {
  await moodle?.close();
  await coachview?.close();
  await smtp?.close();
  await env?.teardown();
});

it('[PLAT-6] schedules are created at start-up and updated in place from changed configuration', async () => {
  expect(await ensureSchedules(client, desiredSchedules(config()))).toEqual({
    'moodle-completion-poll': 'created',
  });
  const handle = client.schedule.getHandle('moodle-completion-poll');
  expect((await handle.describe()).spec.intervals?.[0]?.every).toBe(15 * 60 * 1000);

  const changed = config({ MOODLE_POLL_EVERY: '30m', MOODLE_LOOKBACK_DAYS: '3' });
  expect(await ensureSchedules(client, desiredSchedules(changed))).toEqual({
    'moodle-completion-poll': 'updated',
  });
  const described = await handle.describe();
  expect(described.spec.intervals?.[0]?.every).toBe(30 * 60 * 1000);
  expect(described.action).toMatchObject({
    workflowType: 'pollMoodleCompletionsWorkflow',
    taskQueue: taskQueues.gradeReturn,
  });
  expect(described.action.type === 'startWorkflow' && described.action.args).toEqual([{ lookbackDays: 3 }]);
});

it("[CV-1][PLAT-6] a triggered Moodle poll starts one grade return per completion, and a second poll, resuming from the first one's cursor, asks only active learners and starts none", async () => {
  const now = Math.floor(Date.now() / 1000);
  moodle.state.seed({
    courses: [{ id: 12, shortname: 'VCA', fullname: 'VCA Basis' }],
    users: [
      {
        id: 40,
        username: 'anna',
        firstname: 'Anna',
        lastname: 'de Vries',
        email: 'anna@example.test',
        idnumber: 'P-40',
      },
      {
        id: 41,
        username: 'bart',
        firstname: 'Bart',
        lastname: 'Smit',
        email: 'bart@example.test',
        idnumber: 'P-41',
      },
    ],
    enrolments: [
      { courseid: 12, userid: 40 },
      { courseid: 12, userid: 41 },
    ],
    completions: [{ courseid: 12, userid: 40, grade: 9, timecompleted: now - 3600 }],
  });
  coachview.seed(enrolledLearner('P-40', '12'));
  const worker = await gradeReturnWorker({
    connection: env.nativeConnection,
    client,
    taskQueue: taskQueues.gradeReturn,
    coachview,
    smtp,
    moodle: { url: moodle.url, token: MOODLE_TOKEN },
  });
  await worker.runUntil(async () => {
    const schedule = client.schedule.getHandle('moodle-completion-poll');
    await schedule.trigger(ScheduleOverlapPolicy.BUFFER_ONE);
    const gradeReturn = client.workflow.getHandle(gradeReturnWorkflowId('moodle', '12', 'P-40'));
    const result = await waitFor(() => gradeReturn.result());
    expect(result).toMatchObject({ outcome: 'registered', attemptsMade: 1 });

    const first = (await schedule.describe()).info.recentActions.at(-1)?.action.workflow;
    const firstResult = await waitFor(() =>
      client.workflow.getHandle(first?.workflowId ?? '', first?.firstExecutionRunId).result(),
    );
    expect(firstResult).toMatchObject({ found: 1, started: 1, fullScan: true, coursesFailed: [] });
    moodle.calls.length = 0;

    // Like scheduled runs and the CLI's trigger (overlap Skip), not the SDK's default ALLOW_ALL: the
    // schedule then watches each run and hands its result to the next (ALLOW_ALL hands none over).
    await schedule.trigger(ScheduleOverlapPolicy.BUFFER_ONE);
    const runs = await waitFor(async () => {
      const described = await schedule.describe();
      const done = described.info.recentActions.length;
      if (done < 2) throw new Error('second poll not yet run');
      return described.info.recentActions;
    });
    const second = runs.at(-1)?.action.workflow;
    const pollResult = await waitFor(() =>
      client.workflow.getHandle(second?.workflowId ?? '', second?.firstExecutionRunId).result(),
    );
    // The schedule handed the first poll's result to the second (lastResult): an incremental scan
    // that asks Anna (active an hour ago) and not Bart (never opened the course).
    expect(pollResult).toMatchObject({ found: 1, started: 0, duplicates: 1, fullScan: false });
    expect(
      moodle.calls
        .filter((c) => c.wsfunction === 'core_completion_get_course_completion_status')
        .map((c) => c.params.userid),
    ).toEqual(['40']);
  });
  expect(coachview.pushLog().filter((p) => p.outcome === 'processed')).toHaveLength(1);
});

async function waitFor<T>(fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
