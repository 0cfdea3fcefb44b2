/**
 * The grade return's shared snapshot of Coachview (CV-6, CV-5, CV-7) on the time-skipping server: waiting
 * learners share one read of Coachview per day instead of two or three REST requests each, so a daily
 * budget far below "learners x requests" holds while every learner still attempts once a day; a stale
 * snapshot never registers twice nor on an ambiguous id.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Completion, GradeReturnStatus } from '../../../domain/grade-return';
import { gradeReturnWorkflowId } from '../../../platform/names';
import { RateBudgets, createMemoryBudgetStore, type BudgetDefinition } from '../../../platform/rate-budget';
import { startSmtpSink, type SmtpSink } from '../../../services/smtp-sink';
import { startCoachviewSimulator, type CoachviewSimulator } from '../../../simulators/coachview';
import { gradeReturnStatusQuery, gradeReturnWorkflow } from '../../../workflows/grade-return';
import { enrolledLearner, gradeReturnWorker } from '../../support/grade-return-harness';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../support/temporal';

const DAY_MS = 24 * 60 * 60 * 1000;
const LEARNERS = 8;
/**
 * Eight unknown learners cost 16 REST requests a day when each looks itself up (by id and by external
 * id); the budget allows 6. With the shared snapshot a day costs one person page per refresh.
 */
const DAILY_LIMIT = 6;
const budget: BudgetDefinition = {
  name: 'coachview-rest',
  policy: { kind: 'daily', limit: DAILY_LIMIT, timeZone: 'UTC' },
  maxWaitMs: 0,
  spreadMs: 10 * 60_000,
};

/** The test server's (skipping) time, as the activities last saw it; the simulator counts its quota by it. */
let serverNow = Date.now();
const serverClock = (): number => {
  try {
    serverNow = Context.current().info.currentAttemptScheduledTimestampMs;
  } catch {
    // outside an activity: the last time seen
  }
  return serverNow;
};

let env: TestWorkflowEnvironment;
let client: Client;
let coachview: CoachviewSimulator;
let smtp: SmtpSink;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  client = env.client;
  coachview = await startCoachviewSimulator({ now: () => serverNow, dailyRequestLimit: DAILY_LIMIT });
  smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
});

afterAll(async () => {
  await coachview?.close();
  await smtp?.close();
  await env?.teardown();
});

beforeEach(() => {
  coachview.reset();
  smtp.clear();
});

/**
 * A run a failed test leaves waiting would stop the test server's time skipping for the tests after
 * it (its timer fires with no worker to take the task): every test's runs end with the test.
 */
const started: string[] = [];
afterEach(async () => {
  for (const id of started.splice(0)) {
    await client.workflow
      .getHandle(id)
      .terminate('test ended')
      .catch(() => undefined);
  }
});

function startRun(c: Completion, taskQueue: string) {
  const workflowId = gradeReturnWorkflowId(c.source, c.courseId, c.learnerId);
  started.push(workflowId);
  return client.workflow.start(gradeReturnWorkflow, {
    taskQueue,
    workflowId,
    args: [{ ...c, maxDailyAttempts: 30 }],
  });
}

function completion(n: number, courseId = 'course-snap'): Completion {
  return {
    source: 'moodle',
    learnerId: `learner-snap-${n}`,
    courseId,
    grade: '7.5',
    completedAt: '2026-11-02T14:30:00Z',
  };
}

async function statuses(ids: string[]): Promise<GradeReturnStatus[]> {
  return Promise.all(ids.map((id) => client.workflow.getHandle(id).query(gradeReturnStatusQuery)));
}

async function worker(taskQueue: string, maxAgeMs: number) {
  const budgets = new RateBudgets([budget], createMemoryBudgetStore(), { clock: serverClock });
  return gradeReturnWorker({
    connection: env.nativeConnection,
    client,
    taskQueue,
    coachview,
    smtp,
    restBudget: budgets.get('coachview-rest'),
    coachviewSnapshot: { clock: serverClock, maxAgeMs },
  });
}

it('[CV-6] eight learners unknown for three days, then known: at most 6 REST requests a day, one attempt a day each, no wait for the budget, all registered once', async () => {
  const taskQueue = uniqueTaskQueue('grade-return-snap');
  const w = await worker(taskQueue, 12 * 60 * 60 * 1000);
  const learners = Array.from({ length: LEARNERS }, (_, i) => completion(i + 1));
  const ids = learners.map((c) => gradeReturnWorkflowId(c.source, c.courseId, c.learnerId));
  await w.runUntil(async () => {
    for (const c of learners) await startRun(c, taskQueue);
    await env.sleep(3 * DAY_MS + 60_000);
    const waiting = await statuses(ids);
    for (const s of waiting) {
      expect(s.phase).toBe('waiting-for-retry');
      expect(s.notCountedTotal ?? 0).toBe(0);
      expect(s.rateBudgetWait ?? null).toBeNull();
      // Started, then one a day: three or four attempts in three days, 24 hours apart after the first.
      expect(s.attemptsMade).toBeGreaterThanOrEqual(3);
      expect(s.attemptsMade).toBeLessThanOrEqual(4);
      const times = s.attempts.map((a) => Date.parse(a.at));
      // A wait for the budget would move an attempt by hours; the test server's timers are ms exact-ish.
      for (let i = 2; i < times.length; i++)
        expect(Math.abs(times[i]! - times[i - 1]! - DAY_MS)).toBeLessThan(60_000);
      expect(s.attempts.every((a) => a.outcome === 'not-recognized')).toBe(true);
      expect(s.attempts.slice(1).every((a) => a.answeredFrom === 'snapshot')).toBe(true);
    }

    for (const c of learners) coachview.seed(enrolledLearner(c.learnerId, c.courseId));
    await env.sleep(2 * DAY_MS);
    // One result at a time: each lets the test server skip time, and concurrent ones unbalance its lock.
    for (const id of ids)
      expect(await client.workflow.getHandle(id).result()).toMatchObject({ outcome: 'registered' });
  });
  const processed = coachview.pushLog().filter((p) => p.outcome === 'processed');
  expect(processed).toHaveLength(LEARNERS);
  const windows = coachview.usage().quotaWindows;
  expect(windows.length).toBeGreaterThanOrEqual(4);
  for (const window of windows) {
    expect(window.refused).toBe(0);
    expect(window.requests).toBeLessThanOrEqual(DAILY_LIMIT);
  }
});

it('[CV-5][CV-6] a snapshot read before the previous try is never used: an id made ambiguous since then is refused on live data, nothing registered', async () => {
  const taskQueue = uniqueTaskQueue('grade-return-snap-stale');
  // A snapshot that never expires by age: only "older than the previous try" makes it stale.
  const w = await worker(taskQueue, 365 * DAY_MS);
  const c = completion(1, 'course-stale');
  const id = gradeReturnWorkflowId(c.source, c.courseId, c.learnerId);
  await w.runUntil(async () => {
    await startRun(c, taskQueue);
    await env.sleep(60_000);
    expect((await statuses([id]))[0]).toMatchObject({ phase: 'waiting-for-retry', attemptsMade: 1 });
    // Since the snapshot: one person has the learner id as id, another as external id (CV-5).
    coachview.seed(enrolledLearner(c.learnerId, c.courseId));
    coachview.seed({
      persons: [{ id: 'other-9', externalId: c.learnerId, firstName: 'B', lastName: 'B', email: 'b@x.test' }],
      enrolments: [{ personId: 'other-9', trainingId: 't-9', elearningCourseId: c.courseId }],
    });
    // The snapshot read during attempt 1 may still answer attempt 2 (it is not older than that try);
    // the first attempt after one that snapshot preceded reads live data. When attempt 2 comes depends
    // on the run's time of day and on when the test starts: up to three days.
    let status = (await statuses([id]))[0]!;
    for (let day = 0; day < 4 && status.phase === 'waiting-for-retry'; day++) {
      await env.sleep(DAY_MS);
      status = (await statuses([id]))[0]!;
    }
    expect(status.phase).toBe('refused');
    expect(status.lastAnswer).toMatchObject({ failureType: 'Coachview.AmbiguousLearner' });
    for (const [i, a] of status.attempts.entries()) {
      if (i > 0 && a.answeredFrom === 'snapshot')
        expect(Date.parse(a.snapshotTakenAt!)).toBeGreaterThanOrEqual(Date.parse(status.attempts[i - 1]!.at));
    }
    expect(status.attempts.at(-1)!.answeredFrom).not.toBe('snapshot');
  });
  expect(coachview.pushLog()).toHaveLength(0);
});

it('[CV-7][CV-6] a push processed but answered 503: the retried attempt reads a snapshot newer than its failed try and registers once, with two open components', async () => {
  const taskQueue = uniqueTaskQueue('grade-return-snap-503');
  const w = await worker(taskQueue, 365 * DAY_MS);
  const c = completion(2, 'course-503');
  coachview.seed(enrolledLearner(c.learnerId, c.courseId));
  coachview.seed({
    enrolments: [{ personId: c.learnerId, trainingId: 't-2', elearningCourseId: c.courseId }],
  });
  coachview.faults({ failNext: { count: 1, status: 503, on: 'push', afterProcessing: true } });
  await w.runUntil(async () => {
    const handle = await startRun(c, taskQueue);
    expect(await handle.result()).toMatchObject({ outcome: 'registered', attemptsMade: 1 });
  });
  const components = coachview.state().enrolments.filter((e) => e.elearningCourseId === c.courseId);
  expect(components.filter((e) => e.result !== undefined)).toHaveLength(1);
  // The first push was processed (and answered 503); the retry sent none.
  expect(coachview.pushLog()).toHaveLength(1);
});

it('[CV-6] the daily attempts run inside the configured window (06:00-20:00 Europe/Amsterdam), each run at its own time', async () => {
  const taskQueue = uniqueTaskQueue('grade-return-window');
  const budgets = new RateBudgets([budget], createMemoryBudgetStore(), { clock: serverClock });
  const w = await gradeReturnWorker({
    connection: env.nativeConnection,
    client,
    taskQueue,
    coachview,
    smtp,
    restBudget: budgets.get('coachview-rest'),
    coachviewSnapshot: { clock: serverClock, maxAgeMs: 12 * 60 * 60 * 1000 },
    attemptWindow: { startMinute: 6 * 60, endMinute: 20 * 60, timeZone: 'Europe/Amsterdam' },
  });
  const learners = Array.from({ length: LEARNERS }, (_, i) => completion(i + 1, 'course-window'));
  const ids = learners.map((c) => gradeReturnWorkflowId(c.source, c.courseId, c.learnerId));
  let all: GradeReturnStatus[] = [];
  await w.runUntil(async () => {
    for (const c of learners) await startRun(c, taskQueue);
    await env.sleep(3 * DAY_MS);
    all = await statuses(ids);
  });
  const hourIn = (iso: string): number =>
    Number(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Amsterdam',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(iso)),
    );
  const slots = new Set<string>();
  for (const s of all) {
    expect(s.attemptsMade).toBeGreaterThanOrEqual(3);
    for (const a of s.attempts.slice(1)) {
      expect(hourIn(a.at)).toBeGreaterThanOrEqual(6);
      expect(hourIn(a.at)).toBeLessThan(20);
    }
    slots.add(s.attempts[1]!.at.slice(11, 16));
  }
  expect(slots.size).toBeGreaterThan(1);
});
