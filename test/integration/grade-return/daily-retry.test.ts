/**
 * Grade return on the time-skipping test server: a 30-day daily retry runs in seconds, against the
 * Coachview simulator over HTTP and the SMTP sink over SMTP.
 */
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { gradeReturnStarter } from '../../../client/grade-return';
import { attemptSlotOfDay, type GradeReturnStatus } from '../../../domain/grade-return';
import { gradeReturnWorkflowId } from '../../../platform/names';
import type { SmtpSink } from '../../../services/smtp-sink';
import type { CoachviewSimulator } from '../../../simulators/coachview';
import { gradeReturnStatusQuery, retryNowSignal } from '../../../workflows/grade-return';
import { OPERATOR, enrolledLearner } from '../../support/grade-return-harness';
import { completionMaker, useGradeReturnTestBed } from '../../support/grade-return-test-bed';

const DAY_MS = 24 * 60 * 60 * 1000;

let env: TestWorkflowEnvironment;
let client: Client;
let coachview: CoachviewSimulator;
let smtp: SmtpSink;

const runs = useGradeReturnTestBed((bed) => ({ env, client, coachview, smtp } = bed));

const completion = completionMaker({ learner: 'learner', course: 'course' }, '8.5');
const withWorker = <T>(fn: (taskQueue: string, worker: Worker) => Promise<T>): Promise<T> =>
  runs.withWorker('grade-return', fn);
const start = runs.start;

/** Attempt activities and the workflow times they were scheduled at, read from the history. */
function attemptTimes(history: temporal.api.history.v1.IHistory): number[] {
  return (history.events ?? [])
    .filter((e) =>
      e.activityTaskScheduledEventAttributes?.activityType?.name?.startsWith('attemptGradeReturn'),
    )
    .map((e) => Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6));
}

async function waitForAttempts(handle: WorkflowHandle, n: number): Promise<GradeReturnStatus> {
  for (let i = 0; i < 200; i++) {
    const status = await handle.query(gradeReturnStatusQuery);
    if (status.attemptsMade >= n && status.phase === 'waiting-for-retry') return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`workflow did not reach ${n} attempts`);
}

it('[CV-4] a learner unknown for all 30 days gets exactly 30 attempts a day apart, then fails with one e-mail', async () => {
  const c = completion();
  await withWorker(async (taskQueue) => {
    const handle = await start(c, taskQueue);
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('GradeReturnGaveUp');
    expect(cause?.message).toContain('after 30 daily attempts');

    const times = attemptTimes(await handle.fetchHistory());
    expect(times).toHaveLength(30);
    // The second attempt is at the run's own time of day, 12 to 36 hours after the first (CV-6); from
    // then on one a day at that time.
    const slot = attemptSlotOfDay(handle.workflowId);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(DAY_MS / 2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeLessThan(DAY_MS * 1.5 + 60_000);
    for (let i = 1; i < times.length; i++) expect(((times[i] ?? 0) - slot) % DAY_MS).toBeLessThan(60_000);
    for (let i = 2; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(DAY_MS - 60_000);
    for (let i = 2; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeLessThan(DAY_MS + 60_000);

    const status = await handle.query(gradeReturnStatusQuery);
    expect(status.phase).toBe('gave-up');
    expect(status.attemptsMade).toBe(30);
    expect(status.lastAnswer?.outcome).toBe('not-recognized');
  });
  const mail = await smtp.waitFor((m) => m.subject.includes(c.learnerId), 10_000);
  expect(mail.to).toEqual(expect.arrayContaining([OPERATOR]));
  expect(mail.text).toContain('30 daily attempts');
  expect(smtp.messages().filter((m) => m.subject.includes(c.learnerId))).toHaveLength(1);
  expect(coachview.pushLog()).toHaveLength(0);
});

it('[CV-4][CV-2] a learner who becomes known on day 7 is registered on day 7 with approval date = completion date', async () => {
  const c = completion({ grade: '7.9', completedAt: '2026-10-30T09:15:00+01:00' });
  await withWorker(async (taskQueue) => {
    const handle = await start(c, taskQueue);
    await waitForAttempts(handle, 1);
    await env.sleep(5 * DAY_MS + 12 * 60 * 60 * 1000);
    const before = await waitForAttempts(handle, 6);
    expect(before.nextAttemptAt).not.toBeNull();

    coachview.seed(enrolledLearner(c.learnerId, c.courseId));
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'registered', attemptsMade: 7 });

    const times = attemptTimes(await handle.fetchHistory());
    expect(times).toHaveLength(7);
    // The first gap is 12 to 36 hours (the run's time of day, CV-6), then a day each.
    expect((times[6] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(5.5 * DAY_MS);
    expect((times[6] ?? 0) - (times[0] ?? 0)).toBeLessThan(6.5 * DAY_MS + 60_000);
  });
  const component = coachview.state().enrolments.find((e) => e.personId === c.learnerId);
  expect(component).toMatchObject({
    result: '7.9',
    presence: true,
    passed: true,
    locked: true,
    trainingRequestComponent: { completed: true, approved: true, approvalDate: '2026-10-30' },
  });
  expect(coachview.pushLog().filter((p) => p.outcome === 'processed')).toHaveLength(1);
});

it('[CV-5] a learner known by external id is matched and registered on the first day', async () => {
  const c = completion();
  coachview.seed(enrolledLearner('cv-9001', c.courseId, { externalId: c.learnerId }));
  await withWorker(async (taskQueue) => {
    const result = await (await start(c, taskQueue)).result();
    expect(result).toMatchObject({ outcome: 'registered', attemptsMade: 1 });
  });
  expect(coachview.state().enrolments.find((e) => e.personId === 'cv-9001')?.result).toBe(c.grade);
});

it('[CV-3] a result already registered in Coachview is never registered again', async () => {
  const c = completion({ grade: '9.0' });
  const seed = enrolledLearner(c.learnerId, c.courseId);
  coachview.seed({
    ...seed,
    enrolments: seed.enrolments.map((e) => ({
      ...e,
      registered: { result: '6.5', approvalDate: '2026-09-01' },
    })),
  });
  await withWorker(async (taskQueue) => {
    const result = await (await start(c, taskQueue)).result();
    expect(result).toMatchObject({ outcome: 'already-registered', attemptsMade: 1 });
  });
  expect(coachview.pushLog()).toHaveLength(0);
  expect(coachview.state().enrolments.find((e) => e.personId === c.learnerId)?.result).toBe('6.5');
});

it('[CV-1] a duplicate completion starts no second workflow, while running and after success', async () => {
  const c = completion();
  await withWorker(async (taskQueue) => {
    const startGradeReturn = gradeReturnStarter(client, { maxDailyAttempts: 30, taskQueue });
    expect(await startGradeReturn(c)).toBe('started');
    const handle = client.workflow.getHandle(gradeReturnWorkflowId(c.source, c.courseId, c.learnerId));
    const firstRunId = (await handle.describe()).runId;
    expect(await startGradeReturn({ ...c, grade: '3.0' })).toBe('duplicate');
    await waitForAttempts(handle, 1);
    coachview.seed(enrolledLearner(c.learnerId, c.courseId));
    await handle.signal(retryNowSignal);
    await handle.result();
    expect(await startGradeReturn(c)).toBe('duplicate');
    expect((await handle.describe()).runId).toBe(firstRunId);
  });
  expect(coachview.pushLog().filter((p) => p.outcome === 'processed')).toHaveLength(1);
});

it('[CV-4] 503s and 429s within an attempt are retried with backoff and do not consume days', async () => {
  const c = completion();
  coachview.seed(enrolledLearner(c.learnerId, c.courseId));
  coachview.faults({ failNext: { count: 3, status: 503, on: 'all' } });
  await withWorker(async (taskQueue) => {
    const handle = await start(c, taskQueue);
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'registered', attemptsMade: 1 });
    const history = await handle.fetchHistory();
    const started = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes);
    expect(started.at(-1)?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThanOrEqual(2);
    expect(attemptTimes(history)).toHaveLength(1);
  });
});

it('[CV-4] the retryNow signal attempts at once instead of waiting for tomorrow', async () => {
  const c = completion();
  await withWorker(async (taskQueue) => {
    const handle = await start(c, taskQueue);
    const first = await waitForAttempts(handle, 1);
    expect(first.lastAnswer?.outcome).toBe('not-recognized');
    coachview.seed(enrolledLearner(c.learnerId, c.courseId));
    await handle.signal(retryNowSignal);
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'registered', attemptsMade: 2 });
    const times = attemptTimes(await handle.fetchHistory());
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeLessThan(DAY_MS);
  });
});

it('[PLAT-5] a start with malformed input fails at once with a message naming each bad field', async () => {
  await withWorker(async (taskQueue) => {
    const handle = await client.workflow.start('gradeReturnWorkflow', {
      taskQueue,
      workflowId: `grade-return-bad-input-${Date.now()}`,
      args: [{ source: 'blackboard', learnerId: '', courseId: 'c1', grade: '8', completedAt: 'yesterday' }],
    });
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidInput');
    expect(cause.nonRetryable).toBe(true);
    expect(cause.message).toMatch(/source/);
    expect(cause.message).toMatch(/learnerId/);
    expect(cause.message).toMatch(/completedAt/);
    const history = await handle.fetchHistory();
    expect(history.events?.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
  });
});
