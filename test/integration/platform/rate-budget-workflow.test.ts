/**
 * A spent rate budget makes a workflow wait, not fail (PLAT-16), on the time-skipping test server:
 * the Coachview lookups of a test workflow take from a daily budget; while it is spent the
 * workflow sleeps on a durable timer (its status and current details say so), then the lookup
 * runs. No activity attempt is used up and no failure is recorded.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createCoachviewClient } from '../../../adapters/coachview';
import {
  RATE_BUDGET_SPENT,
  createMemoryBudgetStore,
  RateBudgets,
  type BudgetDefinition,
} from '../../../platform/rate-budget';
import { Secret } from '../../../platform/secret';
import { startCoachviewSimulator, type CoachviewSimulator } from '../../../simulators/coachview';
import { createIntegrationWorker } from '../../../workers/create-worker';
import { createRateBudgetFixtureActivities } from '../../fixtures/rate-budget-workflows/activities';
import { budgetedLookupStatusQuery, budgetedLookupWorkflow } from '../../fixtures/rate-budget-workflows';
import { testCodec } from '../../support/codec';
import { enrolledLearner } from '../../support/grade-return-harness';
import { createTimeSkippingEnv, uniqueTaskQueue, testServerClock } from '../../support/temporal';

const budget: BudgetDefinition = {
  name: 'coachview-rest',
  policy: { kind: 'daily', limit: 4, timeZone: 'UTC' },
  maxWaitMs: 0,
  spreadMs: 10 * 60_000,
};

let env: TestWorkflowEnvironment;
let coachview: CoachviewSimulator;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  coachview = await startCoachviewSimulator();
  bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../fixtures/rate-budget-workflows'),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
});

afterAll(async () => {
  await coachview?.close();
  await env?.teardown();
});

beforeEach(() => {
  coachview.reset();
  coachview.seed(enrolledLearner('P-1', 'course-1'));
});

async function withWorker<T>(budgets: RateBudgets, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = uniqueTaskQueue('rate-budget');
  const client = createCoachviewClient({
    apiBaseUrl: coachview.url,
    clientId: 'integrations',
    clientSecret: new Secret('local-client-secret'),
    resultPushUrl: `${coachview.url}/elearning/results`,
    pushSecret: new Secret('local-push-secret'),
    timeoutMs: 5000,
    restBudget: budgets.get('coachview-rest'),
  });
  const worker = await createIntegrationWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    workflows: { bundle },
    activities: createRateBudgetFixtureActivities(client),
    codec: testCodec(),
  });
  return worker.runUntil(fn(taskQueue));
}

type Event = temporal.api.history.v1.IHistoryEvent;
const eventTime = (e: Event): number =>
  Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);

/** What the history holds: activities scheduled, their attempts, timers, and anything that failed. */
function summarize(events: Event[]) {
  return {
    activitiesScheduled: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
    scheduledAt: events.filter((e) => e.activityTaskScheduledEventAttributes).map(eventTime),
    attempts: events.flatMap((e) =>
      e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt] : [],
    ),
    timers: events.flatMap((e) => (e.timerStartedEventAttributes ? [e] : [])),
    failed: events.filter(
      (e) =>
        e.activityTaskFailedEventAttributes ||
        e.activityTaskTimedOutEventAttributes ||
        e.workflowTaskFailedEventAttributes ||
        e.workflowExecutionFailedEventAttributes,
    ),
    completed: events.some((e) => e.workflowExecutionCompletedEventAttributes),
  };
}

async function waitUntilWaiting(handle: WorkflowHandle) {
  for (let i = 0; i < 100; i++) {
    const status = await handle.query(budgetedLookupStatusQuery);
    if (status.waiting) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the workflow never started waiting for the budget');
}

it('[PLAT-16] a workflow whose daily budget is spent waits until the next day, then succeeds: no attempt used, no failure in history', async () => {
  const store = createMemoryBudgetStore();
  const budgets = new RateBudgets([budget], store, { clock: testServerClock });
  const startedAt = await env.currentTimeMs();
  // Today's budget is spent already (other workflows used it).
  expect((await store.take(budget, 4, startedAt, 0)).granted).toBe(true);
  const midnight = Math.ceil((startedAt + 1) / 86_400_000) * 86_400_000;

  await withWorker(budgets, async (taskQueue) => {
    const handle = await env.client.workflow.start(budgetedLookupWorkflow, {
      taskQueue,
      workflowId: `rate-budget-${taskQueue}`,
      args: [{ learnerId: 'P-1', courseId: 'course-1' }],
    });
    // Waiting, visibly: the status query and the workflow's current details (Web UI: User Metadata).
    const status = await waitUntilWaiting(handle);
    expect(status.waiting).toMatchObject({
      budget: 'coachview-rest',
      availableAt: new Date(midnight).toISOString(),
      reason: 'its limit is reached',
      waits: 1,
    });
    const resumeAt = Date.parse(status.waiting!.resumeAt);
    expect(resumeAt).toBeGreaterThanOrEqual(midnight);
    expect(resumeAt).toBeLessThan(midnight + budget.spreadMs);
    const metadata = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
    expect(metadata.currentDetails).toContain('Waiting for rate budget `coachview-rest`');
    expect(coachview.usage().apiRequestsToday).toEqual({});

    expect(await handle.result()).toBe('open');
    const after = await handle.query(budgetedLookupStatusQuery);
    expect(after.waiting).toBeNull();
    expect(after.waits).toHaveLength(1);
    const metadataAfter = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
    expect(metadataAfter.currentDetails).toBe('Looking up the learner in Coachview.');

    const history = summarize((await handle.fetchHistory()).events ?? []);
    expect(history).toMatchObject({ activitiesScheduled: 2, attempts: [1, 1], failed: [], completed: true });
    expect(history.timers).toHaveLength(1);
    // The timer carries its summary (encrypted like every payload) for the Web UI's event history.
    const [summary] = await testCodec().decode([history.timers[0]!.userMetadata!.summary!]);
    expect(defaultPayloadConverter.fromPayload(summary!)).toBe(
      `rate budget coachview-rest: waiting until ${status.waiting!.resumeAt}`,
    );
    // The lookup ran after the wait, within the next day's budget: three REST requests of its four
    // (the person by id and by external id, their components).
    expect(history.scheduledAt[0]).toBeLessThan(midnight);
    expect(history.scheduledAt[1]).toBeGreaterThanOrEqual(resumeAt);
    expect(Object.values(coachview.usage().apiRequestsToday)).toEqual([3]);
    expect(await store.read('coachview-rest')).toMatchObject({ windowStart: midnight, used: 3 });
  });
});

it('[PLAT-16] a 429 from Coachview spends the budget until its Retry-After: the workflow waits, then succeeds, no retry used', async () => {
  const budgets = new RateBudgets([budget], createMemoryBudgetStore(), { clock: testServerClock });
  coachview.faults({ rateLimitNext: { count: 1, retryAfterSeconds: 3600, on: 'api' } });
  await withWorker(budgets, async (taskQueue) => {
    const handle = await env.client.workflow.start(budgetedLookupWorkflow, {
      taskQueue,
      workflowId: `rate-budget-429-${taskQueue}`,
      args: [{ learnerId: 'P-1', courseId: 'course-1' }],
    });
    const status = await waitUntilWaiting(handle);
    expect(status.waiting).toMatchObject({ budget: 'coachview-rest', reason: 'Coachview answered 429' });
    expect(await handle.result()).toBe('open');
    const events = (await handle.fetchHistory()).events ?? [];
    const history = summarize(events);
    expect(history).toMatchObject({ activitiesScheduled: 2, attempts: [1, 1], failed: [], completed: true });
    // The wait lasted the hour Coachview asked for (plus this workflow's share of the spread).
    const timer = history.timers[0]!.timerStartedEventAttributes!.startToFireTimeout!;
    const timerMs = Number(timer.seconds ?? 0) * 1000 + Math.floor((timer.nanos ?? 0) / 1e6);
    expect(timerMs).toBeGreaterThanOrEqual(3_599_000);
    expect(timerMs).toBeLessThan(3_600_000 + budget.spreadMs);
  });
});

it('[PLAT-16] an activity not wrapped with budgeted reports the spent budget as a non-retryable failure, which the workflow waits out the same way', async () => {
  const store = createMemoryBudgetStore();
  const budgets = new RateBudgets([budget], store, { clock: testServerClock });
  expect((await store.take(budget, 4, await env.currentTimeMs(), 0)).granted).toBe(true);
  await withWorker(budgets, async (taskQueue) => {
    const handle = await env.client.workflow.start(budgetedLookupWorkflow, {
      taskQueue,
      workflowId: `rate-budget-unwrapped-${taskQueue}`,
      args: [{ learnerId: 'P-1', courseId: 'course-1', unwrapped: true }],
    });
    expect(await handle.result()).toBe('open');
    const history = summarize((await handle.fetchHistory()).events ?? []);
    // One attempt each: the failure was not retried; the only failure is the spent budget itself.
    expect(history.attempts).toEqual([1, 1]);
    expect(history.failed).toHaveLength(1);
    const failure = history.failed[0]!.activityTaskFailedEventAttributes!.failure!;
    expect(failure.applicationFailureInfo).toMatchObject({ type: RATE_BUDGET_SPENT, nonRetryable: true });
    expect(history.completed).toBe(true);
  });
});
