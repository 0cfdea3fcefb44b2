/**
 * The flow sync within the `wiseflow-api` rate budget (PLAT-16) on the time-skipping test server: a
 * sync that finds the budget spent waits on a durable timer, says so in its current details, and
 * finishes when the budget is available again, with no failure in its history and nothing written twice.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { linkFlowToPeriod } from '../../../client/wiseflow';
import { RateBudgets, createMemoryBudgetStore, type BudgetDefinition } from '../../../platform/rate-budget';
import { startSmtpSink, type SmtpSink } from '../../../services/smtp-sink';
import {
  startPraktikportalenSimulator,
  type PraktikportalenSimulator,
} from '../../../simulators/praktikportalen';
import { startWiseflowSimulator, type WiseflowSimulator } from '../../../simulators/wiseflow';
import { flowSyncStatusQuery } from '../../../workflows/wiseflow-flow-sync';
import { createTimeSkippingEnv, uniqueTaskQueue, testServerClock } from '../../support/temporal';
import { FLOW_ID, PERIOD, flowSyncWorker, seedInternship } from '../../support/wiseflow-harness';

jest.setTimeout(120_000);

/** Twenty WISEflow calls a day: the link and the first sync fit, the next syncs do not. */
const budget: BudgetDefinition = {
  name: 'wiseflow-api',
  policy: { kind: 'daily', limit: 20, timeZone: 'UTC' },
  maxWaitMs: 0,
  spreadMs: 60_000,
};

let env: TestWorkflowEnvironment;
let wiseflow: WiseflowSimulator;
let praktikportalen: PraktikportalenSimulator;
let smtp: SmtpSink;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  wiseflow = await startWiseflowSimulator();
  praktikportalen = await startPraktikportalenSimulator();
  smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
});

afterAll(async () => {
  await wiseflow?.close();
  await praktikportalen?.close();
  await smtp?.close();
  await env?.teardown();
});

it('[PLAT-16][WF-3] a spent wiseflow-api budget makes the sync wait on a timer, not fail; it resumes when the budget is back', async () => {
  seedInternship(wiseflow, praktikportalen, { supervisors: [1, 2] });
  const budgets = new RateBudgets([budget], createMemoryBudgetStore(), { clock: testServerClock });
  const taskQueue = uniqueTaskQueue('wiseflow-rb');
  const worker = await flowSyncWorker({
    connection: env.nativeConnection,
    taskQueue,
    wiseflow,
    praktikportalen,
    smtp,
    rateBudget: budgets.get('wiseflow-api'),
  });
  await worker.runUntil(async () => {
    const { workflowId } = await linkFlowToPeriod(
      env.client,
      { flowId: FLOW_ID, periodNumber: PERIOD, syncEveryMinutes: 60 },
      { taskQueue },
    );
    const handle = env.client.workflow.getHandle(workflowId);
    const details = async () =>
      (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '';
    const poll = async (what: string, ok: () => Promise<boolean>) => {
      for (let i = 0; i < 400; i++) {
        if (await ok()) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(
        `timed out waiting for ${what}: ${JSON.stringify(await handle.query(flowSyncStatusQuery))} ${await details()}`,
      );
    };
    await poll('the first sync', async () => (await handle.query(flowSyncStatusQuery)).syncs >= 1);
    expect(wiseflow.state.flows.get(FLOW_ID)!.assessors).toHaveLength(2);

    // Hourly syncs spend the rest of the day's 20 calls; then the next one waits for the budget.
    for (let hour = 0; hour < 4 && !(await details()).includes('Waiting for rate budget'); hour++) {
      await env.sleep('1 hour');
      await new Promise((r) => setTimeout(r, 500));
    }
    await poll('the wait for the budget', async () =>
      (await details()).includes('Waiting for rate budget `wiseflow-api`'),
    );
    const waiting = await handle.query(flowSyncStatusQuery);
    expect(waiting.phase).toBe('syncing');

    // The next UTC day the budget is back: the sync finishes (later syncs that day may wait again).
    await env.sleep('1 day');
    await poll(
      'a sync after the wait',
      async () => (await handle.query(flowSyncStatusQuery)).syncs > waiting.syncs,
    );
    const after = await handle.query(flowSyncStatusQuery);
    expect(after.lastSync).toMatchObject({ outcome: 'synced' });
    const history = await handle.fetchHistory();
    const failed = (history.events ?? []).filter(
      (e) => e.activityTaskFailedEventAttributes || e.workflowTaskFailedEventAttributes,
    );
    expect(failed).toHaveLength(0);
    expect(wiseflow.state.flows.get(FLOW_ID)!.assessors).toHaveLength(2);
    expect(wiseflow.state.users.size).toBe(2);
    await handle.terminate('test over');
  });
});
