/** The benchmark's three timed phases: start N grade returns, wait until all wait, drain them. */
import type { Client } from '@temporalio/client';
import { gradeReturnStarter } from '../client/grade-return';
import type { Completion } from '../domain/grade-return';
import { gradeReturnWorkflowId, taskQueues, workflowTypes } from '../platform/names';
import type { CoachviewSimulator } from '../simulators/coachview';
import { retryNowSignal } from '../workflows/grade-return';
import type { BenchStack } from './grade-return-stack';
import { forEachLimited, pollUntil, throttle } from './support';

const COURSE_ID = 'bench-course';
const POLL_INTERVAL_MS = 1000;
const PROGRESS_EVERY_MS = 10_000;

const countQuery = (condition: string): string =>
  `WorkflowType = '${workflowTypes.gradeReturn}' AND ${condition}`;
const waitingQuery = countQuery(`IntegrationStatus = 'waiting-for-retry' AND ExecutionStatus = 'Running'`);
/** Runs waiting for the `coachview-rest` budget (PLAT-16): counted apart, they used no attempt. */
const budgetWaitQuery = countQuery(
  `IntegrationStatus = 'waiting-for-rate-budget' AND ExecutionStatus = 'Running'`,
);
const completedQuery = countQuery(`ExecutionStatus = 'Completed'`);

interface PhaseOptions {
  count: number;
  concurrency: number;
  timeoutMs: number;
}

const progress = (line: string): void => console.log(`  .. ${line}`);

export function benchLearners(count: number): string[] {
  const run = Date.now().toString(36);
  return Array.from({ length: count }, (_, i) => `bench-${run}-${i}`);
}

function completionOf(learnerId: string): Completion {
  return { source: 'moodle', learnerId, courseId: COURSE_ID, grade: '7.5', completedAt: '2026-11-20' };
}

/** Starts one grade return per learner through the platform's starter; returns the elapsed ms. */
export async function startAll(stack: BenchStack, learners: string[], opts: PhaseOptions): Promise<number> {
  const start = gradeReturnStarter(stack.client, { maxDailyAttempts: 30, taskQueue: taskQueues.gradeReturn });
  const report = throttle(PROGRESS_EVERY_MS);
  let started = 0;
  const t0 = Date.now();
  await forEachLimited(learners, opts.concurrency, async (learnerId) => {
    const outcome = await start(completionOf(learnerId));
    if (outcome !== 'started') throw new Error(`grade return for ${learnerId} was a ${outcome}`);
    started += 1;
    if (report()) progress(`${started}/${learners.length} started`);
  });
  return Date.now() - t0;
}

async function countOf(client: Client, query: string): Promise<number> {
  return (await client.workflow.count(query)).count;
}

/** Polls the visibility store until every grade return made its first attempt and waits for tomorrow. */
export async function waitAllWaiting(
  stack: BenchStack,
  opts: PhaseOptions,
): Promise<{ maxWaitingForBudget: number }> {
  const report = throttle(PROGRESS_EVERY_MS);
  let waiting = 0;
  let waitingForBudget = 0;
  let maxWaitingForBudget = 0;
  await pollUntil(
    async () => {
      stack.worker.assertAlive();
      waiting = await countOf(stack.client, waitingQuery);
      waitingForBudget = await countOf(stack.client, budgetWaitQuery);
      maxWaitingForBudget = Math.max(maxWaitingForBudget, waitingForBudget);
      return waiting >= opts.count;
    },
    {
      what: `${opts.count} grade returns waiting for retry`,
      timeoutMs: opts.timeoutMs,
      intervalMs: POLL_INTERVAL_MS,
      onPending: () =>
        report() &&
        progress(
          `${waiting}/${opts.count} waiting for retry, ${waitingForBudget} waiting for the coachview-rest budget`,
        ),
    },
  );
  return { maxWaitingForBudget };
}

/** Makes every learner known in Coachview: a person and an enrolment with the bench course each. */
export function makeLearnersKnown(coachview: CoachviewSimulator, learners: string[]): void {
  coachview.seed({
    persons: learners.map((id) => ({ id, firstName: 'Bench', lastName: id, email: `${id}@bench.test` })),
    enrolments: learners.map((personId, i) => ({
      componentId: `ec-bench-${i}`,
      trainingRequestComponentId: `tr-bench-${i}`,
      personId,
      trainingId: 'T-bench',
      elearningCourseId: COURSE_ID,
    })),
  });
}

export interface DrainTimes {
  signalsMs: number;
  drainMs: number;
  processedPushes: number;
}

/** Signals `retryNow` to every grade return and waits until all completed and Coachview registered each once. */
export async function drain(stack: BenchStack, learners: string[], opts: PhaseOptions): Promise<DrainTimes> {
  const t0 = Date.now();
  await forEachLimited(learners, opts.concurrency, (learnerId) =>
    stack.client.workflow
      .getHandle(gradeReturnWorkflowId('moodle', COURSE_ID, learnerId))
      .signal(retryNowSignal),
  );
  const signalsMs = Date.now() - t0;
  progress(`${learners.length} retryNow signals sent in ${(signalsMs / 1000).toFixed(1)} s`);

  const report = throttle(PROGRESS_EVERY_MS);
  let completed = 0;
  let processedPushes = 0;
  await pollUntil(
    async () => {
      stack.worker.assertAlive();
      completed = await countOf(stack.client, completedQuery);
      if (completed < opts.count) return false;
      processedPushes = stack.coachview.pushLog().filter((p) => p.outcome === 'processed').length;
      return processedPushes >= opts.count;
    },
    {
      what: `${opts.count} grade returns completed and registered`,
      timeoutMs: opts.timeoutMs,
      intervalMs: POLL_INTERVAL_MS,
      onPending: () => report() && progress(`${completed}/${opts.count} completed`),
    },
  );
  return { signalsMs, drainMs: Date.now() - t0, processedPushes };
}
