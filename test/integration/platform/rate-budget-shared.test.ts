/**
 * One budget shared by two workers (PLAT-16), on the real Temporal dev server and the run's private
 * PostgreSQL: each worker has its own pool and its own budgets (as two worker processes would),
 * and their Coachview lookups go to a simulator that counts every request per quota window and
 * refuses (429) what exceeds its limit. With the budget in PostgreSQL the limit holds and nothing
 * fails; with a budget per process (memory) the same load overspends, so the check can fail.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createCoachviewClient } from '../../../adapters/coachview';
import { createLogger } from '../../../platform/logging';
import { createPool } from '../../../platform/postgres';
import { createRateBudgets, type BudgetDefinition, type RateBudgets } from '../../../platform/rate-budget';
import { Secret } from '../../../platform/secret';
import { startCoachviewSimulator, type CoachviewSimulator } from '../../../simulators/coachview';
import { createIntegrationWorker } from '../../../workers/create-worker';
import { budgetedLookupWorkflow } from '../../fixtures/rate-budget-workflows';
import { createRateBudgetFixtureActivities } from '../../fixtures/rate-budget-workflows/activities';
import { testCodec } from '../../support/codec';
import { enrolledLearner } from '../../support/grade-return-harness';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { createDevServerEnv, uniqueTaskQueue } from '../../support/temporal';

const WINDOW_MS = 2000;
/** The budget keeps below Coachview's own limit per window (12), as a deployment would. */
const budget: BudgetDefinition = {
  name: 'coachview-rest',
  policy: { kind: 'fixed-window', limit: 10, windowMs: WINDOW_MS },
  maxWaitMs: 300,
  spreadMs: 1000,
};
const SIMULATOR_LIMIT = 12;
const WORKFLOWS = 20;

let env: TestWorkflowEnvironment;
let coachview: CoachviewSimulator;
let bundle: WorkflowBundleWithSourceMap;
let db: TestDatabase;
const pools: Pool[] = [];
const quiet = () => undefined;

beforeAll(async () => {
  env = await createDevServerEnv();
  coachview = await startCoachviewSimulator({ dailyRequestLimit: SIMULATOR_LIMIT, quotaWindowMs: WINDOW_MS });
  bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../fixtures/rate-budget-workflows'),
    logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
  db = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await db?.drop();
  await coachview?.close();
  await env?.teardown();
});

beforeEach(() => {
  coachview.reset();
  for (let i = 0; i < WORKFLOWS; i++) coachview.seed(enrolledLearner(`P-${i}`, 'course-1'));
});

function newPool(): Pool {
  const pool = createPool(
    { url: new Secret(db.url), tls: 'off', poolSize: 5 },
    createLogger('warn', 'test'),
    'the shared rate-budget test',
  );
  pools.push(pool);
  return pool;
}

async function workerWith(budgets: RateBudgets, taskQueue: string): Promise<Worker> {
  const client = createCoachviewClient({
    apiBaseUrl: coachview.url,
    clientId: 'integrations',
    clientSecret: new Secret('local-client-secret'),
    resultPushUrl: `${coachview.url}/elearning/results`,
    pushSecret: new Secret('local-push-secret'),
    timeoutMs: 5000,
    restBudget: budgets.get('coachview-rest'),
  });
  return createIntegrationWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    workflows: { bundle },
    activities: createRateBudgetFixtureActivities(client),
    codec: testCodec(),
  });
}

/** Starts the lookups just after a window begins, so no request granted late in one window arrives in the next. */
async function atWindowStart(): Promise<void> {
  const into = Date.now() % WINDOW_MS;
  if (into > 100) await new Promise((r) => setTimeout(r, WINDOW_MS - into + 20));
}

type Event = temporal.api.history.v1.IHistoryEvent;

/**
 * Runs the lookups on two workers, each with its own budgets and its own task queue (one process
 * may not run two workers of one queue; two lifecycles calling Coachview share its budget the same way).
 */
async function runOnTwoWorkers(budgets: [RateBudgets, RateBudgets]) {
  const taskQueues = [uniqueTaskQueue('rate-budget-a'), uniqueTaskQueue('rate-budget-b')];
  const workers = [
    await workerWith(budgets[0], taskQueues[0]!),
    await workerWith(budgets[1], taskQueues[1]!),
  ];
  const work = (async () => {
    await atWindowStart();
    const handles: WorkflowHandle[] = await Promise.all(
      Array.from({ length: WORKFLOWS }, (_, i) =>
        env.client.workflow.start(budgetedLookupWorkflow, {
          taskQueue: taskQueues[i % 2]!,
          workflowId: `${taskQueues[0]}-${i}`,
          args: [{ learnerId: `P-${i}`, courseId: 'course-1' }],
        }),
      ),
    );
    const results = await Promise.all(handles.map((h) => h.result() as Promise<string>));
    const histories = await Promise.all(handles.map(async (h) => (await h.fetchHistory()).events ?? []));
    return { results, histories };
  })();
  const [outcome] = await Promise.all([work, ...workers.map((w) => w.runUntil(work))]);
  return { ...(outcome as Awaited<typeof work>), windows: coachview.usage().quotaWindows };
}

const failures = (events: Event[]) =>
  events.filter(
    (e) =>
      e.activityTaskFailedEventAttributes ||
      e.activityTaskTimedOutEventAttributes ||
      e.workflowTaskFailedEventAttributes ||
      e.workflowExecutionFailedEventAttributes,
  );
const attempts = (events: Event[]) =>
  events.flatMap((e) =>
    e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt] : [],
  );

it('[PLAT-16] two workers with separate pools share one PostgreSQL budget: Coachview never sees more than the budget in a window, and nothing fails', async () => {
  const budgets = await Promise.all([
    createRateBudgets([budget], newPool()),
    createRateBudgets([budget], newPool()),
  ]);
  expect(budgets.map((b) => b.store.kind)).toEqual(['postgres', 'postgres']);
  const { results, histories, windows } = await runOnTwoWorkers(budgets as [RateBudgets, RateBudgets]);

  expect(results).toEqual(Array(WORKFLOWS).fill('open'));
  // Each lookup is two requests; the load needs several windows.
  const requests = windows.reduce((n, w) => n + w.requests, 0);
  expect(requests).toBeGreaterThanOrEqual(2 * WORKFLOWS);
  expect(windows.length).toBeGreaterThanOrEqual(4);
  expect(windows.filter((w) => w.refused > 0)).toEqual([]);
  expect(Math.max(...windows.map((w) => w.requests))).toBeLessThanOrEqual(budget.policy.limit);
  // Work waited (durably: a timer, not a retry) and nothing failed.
  expect(histories.filter((h) => h.some((e) => e.timerStartedEventAttributes)).length).toBeGreaterThan(0);
  expect(histories.flatMap(failures)).toEqual([]);
  expect(new Set(histories.flatMap(attempts))).toEqual(new Set([1]));
});

it('[PLAT-16] control: with a budget per process (memory) the same two workers overspend Coachview’s limit', async () => {
  const budgets = await Promise.all([createRateBudgets([budget]), createRateBudgets([budget])]);
  expect(budgets.map((b) => b.store.kind)).toEqual(['memory', 'memory']);
  const { results, windows } = await runOnTwoWorkers(budgets as [RateBudgets, RateBudgets]);
  // Still nothing fails (each 429 makes that worker's budget wait), but the limit did not hold.
  expect(results).toEqual(Array(WORKFLOWS).fill('open'));
  expect(Math.max(...windows.map((w) => w.requests + w.refused))).toBeGreaterThan(SIMULATOR_LIMIT);
});
