/**
 * The Praktikportalen → WISEflow flow sync on the time-skipping test server, against the WISEflow and
 * Praktikportalen simulators over HTTP (WF-1..WF-6): a whole internship of periodic syncs, update
 * requests through the intake's signed webhook, and the licence gate.
 */
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { flowSyncRequester, linkFlowToPeriod } from '../../../client/wiseflow';
import type { FlowSyncStatus } from '../../../domain/wiseflow';
import { Secret } from '../../../platform/secret';
import { startIntakeServer, type IntakeServer } from '../../../services/intake';
import { startSmtpSink, type SmtpSink } from '../../../services/smtp-sink';
import {
  startPraktikportalenSimulator,
  type PraktikportalenSimulator,
} from '../../../simulators/praktikportalen';
import { startWiseflowSimulator, type WiseflowSimulator } from '../../../simulators/wiseflow';
import {
  flowSyncStatusQuery,
  requestSyncSignal,
  type wiseflowFlowSyncWorkflow,
} from '../../../workflows/wiseflow-flow-sync';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../support/temporal';
import {
  FLOW_ID,
  PERIOD,
  WISEFLOW_OPS,
  flowSyncWorker,
  seedInternship,
  supervisor,
} from '../../support/wiseflow-harness';

jest.setTimeout(180_000);

const WEBHOOK_SECRET = 'test-wiseflow-webhook-secret';
const PRAKTIKPORTALEN_TYPE = 7;
const EXTERNAL_TYPE = 3;

let env: TestWorkflowEnvironment;
let wiseflow: WiseflowSimulator;
let praktikportalen: PraktikportalenSimulator;
let smtp: SmtpSink;
let intake: IntakeServer;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  wiseflow = await startWiseflowSimulator({ webhookRetryDelaysMs: [200, 200] });
  praktikportalen = await startPraktikportalenSimulator();
  smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  intake = await startIntakeServer({
    port: 0,
    secrets: { ilias: new Secret('unused-ilias-secret'), anewspring: new Secret('unused-ans-secret') },
    startGradeReturn: async () => {
      throw new Error('no grade returns here');
    },
    wiseflow: { secret: new Secret(WEBHOOK_SECRET), requestFlowSync: flowSyncRequester(env.client) },
  });
});

afterAll(async () => {
  await intake?.close();
  await wiseflow?.close();
  await praktikportalen?.close();
  await smtp?.close();
  await env?.teardown();
});

beforeEach(() => {
  // A flow of its own per test: the workflow id is the flow's and the period's.
  flowId += 1;
  wiseflow.state.reset();
  praktikportalen.state.reset();
  smtp.clear();
});

type Handle = WorkflowHandle<typeof wiseflowFlowSyncWorkflow>;

/** Polls `read` in real time (no time skipped) until `ok`. */
async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

const status = (handle: Handle): Promise<FlowSyncStatus> => handle.query(flowSyncStatusQuery);
/** Waits until the sync has made more than `syncs` syncs and waits again. */
const syncedPast = (handle: Handle, syncs: number) =>
  waitFor(
    `sync ${syncs + 1}`,
    () => status(handle),
    (s) => s.syncs > syncs && s.phase === 'waiting',
  );

let flowId = FLOW_ID;
const flow = () => wiseflow.state.flows.get(flowId)!;
const userOf = (praktikportalenId: string) =>
  [...wiseflow.state.users.values()].find((u) =>
    u.externalIds.some((e) => e.userDataTypeId === PRAKTIKPORTALEN_TYPE && e.value === praktikportalenId),
  );
const externalAssessorUserIds = () =>
  flow()
    .assessors.filter((a) => a.assessorTypeId === EXTERNAL_TYPE)
    .map((a) => a.userId)
    .sort();
const shownLink = (praktikportalenId: string) =>
  praktikportalen.state.links.get(`${PERIOD}/${praktikportalenId}`);
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

async function withWorker<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = uniqueTaskQueue('wiseflow');
  const worker: Worker = await flowSyncWorker({
    connection: env.nativeConnection,
    taskQueue,
    wiseflow,
    praktikportalen,
    smtp,
  });
  return worker.runUntil(fn(taskQueue));
}

async function link(taskQueue: string, input: Record<string, unknown>): Promise<Handle> {
  const linked = await linkFlowToPeriod(
    env.client,
    { flowId, periodNumber: PERIOD, ...input },
    { taskQueue },
  );
  expect(linked.outcome).toBe('linked');
  return env.client.workflow.getHandle(linked.workflowId);
}

it('[WF-1][WF-2][WF-3][WF-6] a whole internship: supervisors become external assessors with working links, a replacement mid-period, links renewed, a supervisor kept after marking, ended at conclusion', async () => {
  seedInternship(wiseflow, praktikportalen, { flowId, supervisors: [1, 2] });
  await withWorker(async (taskQueue) => {
    const handle = await link(taskQueue, { syncEveryMinutes: 12 * 60, syncsPerRun: 20 });
    expect(handle.workflowId).toBe(`wiseflow-flow-sync:${flowId}:${PERIOD}`);
    const firstRunId = (await handle.describe()).runId;
    let s = await syncedPast(handle, 0);

    // WF-3: the period is the flow's external source. WF-1: external assessors, never ordinary users.
    expect(flow().externalSources.map((x) => x.reference)).toEqual([PERIOD]);
    for (const n of [1, 2]) {
      const user = userOf(`pp-sup-${n}`)!;
      expect(user).toMatchObject({
        kind: 'external-assessor',
        roles: ['externalAssessor'],
        emails: [supervisor(n).email],
      });
      expect(user.firstName).toBe(`Vejleder${n}`);
    }
    expect(wiseflow.state.users.size).toBe(2);
    expect(externalAssessorUserIds()).toEqual(
      [userOf('pp-sup-1')!.userId, userOf('pp-sup-2')!.userId].sort(),
    );
    // WF-2: each supervisor's link in Praktikportalen logs them in as their WISEflow user.
    for (const n of [1, 2]) {
      const access = wiseflow.state.checkAccess(tokenOf(shownLink(`pp-sup-${n}`)!.url));
      expect(access).toMatchObject({ valid: true, userId: userOf(`pp-sup-${n}`)!.userId });
    }
    // What the Web UI shows: the state and the last sync in counts, no names or e-mails (PLAT-13).
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('Up to date');
    expect(metadata.currentDetails).toContain(
      '2 supervisors; 2 users created, 2 assessors added, 2 access links issued',
    );
    expect(metadata.currentDetails).not.toMatch(/Vejleder|@/);
    expect(s.supervisors).toEqual({
      'pp-sup-1': userOf('pp-sup-1')!.userId,
      'pp-sup-2': userOf('pp-sup-2')!.userId,
    });

    // Mid-period in Praktikportalen: supervisor 1 is replaced by 3, supervisor 2's e-mail is corrected.
    praktikportalen.state.replaceSupervisor(PERIOD, 'pp-sup-1', supervisor(3));
    praktikportalen.state.updateSupervisor(PERIOD, 'pp-sup-2', {
      email: 'vejleder2.rettet@praktik.example.dk',
    });
    const user1 = userOf('pp-sup-1')!.userId;
    await env.sleep('12 hours');
    s = await syncedPast(handle, s.syncs);
    // WF-6: removed before marking started; their WISEflow user stays.
    expect(externalAssessorUserIds()).toEqual(
      [userOf('pp-sup-2')!.userId, userOf('pp-sup-3')!.userId].sort(),
    );
    expect(wiseflow.state.users.get(user1)).toBeDefined();
    expect(userOf('pp-sup-2')!.emails).toEqual(['vejleder2.rettet@praktik.example.dk']);
    expect(wiseflow.state.checkAccess(tokenOf(shownLink('pp-sup-3')!.url)).valid).toBe(true);
    expect(s.lastSync).toMatchObject({
      outcome: 'synced',
      assessorsRemoved: 1,
      assessorsAdded: 1,
      usersCreated: 1,
      usersUpdated: 1,
    });

    // WF-2, WF-6: a week on, links are renewed before they expire; the renewed link replaces the old.
    const before = shownLink('pp-sup-2')!;
    await env.sleep('7 days');
    s = await syncedPast(handle, s.syncs);
    const after = shownLink('pp-sup-2')!;
    expect(after.url).not.toBe(before.url);
    expect(after.replaced).toBeGreaterThan(before.replaced);
    expect(wiseflow.state.checkAccess(tokenOf(before.url))).toMatchObject({
      valid: false,
      reason: 'superseded',
    });
    expect(wiseflow.state.checkAccess(tokenOf(after.url)).valid).toBe(true);
    expect(Date.parse(s.nextLinkRenewalAt!)).toBeGreaterThan(Date.parse(s.lastSync!.at));

    // WF-6: marking starts; supervisor 2 then leaves the period: kept as assessor, operators told once.
    wiseflow.state.setFlowState(flowId, 'PARTICIPATION_ENDED');
    praktikportalen.state.removeSupervisor(PERIOD, 'pp-sup-2');
    await env.sleep('12 hours');
    s = await syncedPast(handle, s.syncs);
    expect(externalAssessorUserIds()).toEqual(
      [userOf('pp-sup-2')!.userId, userOf('pp-sup-3')!.userId].sort(),
    );
    expect(s.markingStarted).toBe(true);
    expect(s.keptAfterMarking).toEqual([
      { praktikportalenId: 'pp-sup-2', userId: userOf('pp-sup-2')!.userId },
    ]);
    const mails = await waitFor(
      'the e-mail',
      async () => smtp.messages(),
      (m) => m.length > 0,
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toContain(WISEFLOW_OPS);
    expect(mails[0]!.text).toContain('pp-sup-2');

    // Weeks of periodic syncs: the history is bounded by continue-as-new, nothing changes, no e-mail repeats.
    await env.sleep('14 days');
    s = await syncedPast(handle, s.syncs);
    expect(s.syncs).toBeGreaterThan(20);
    expect((await handle.describe()).runId).not.toBe(firstRunId);
    expect(s.keptAfterMarking).toHaveLength(1);
    expect(smtp.messages()).toHaveLength(1);
    expect(externalAssessorUserIds()).toHaveLength(2);
    expect(wiseflow.state.users.size).toBe(3);

    // WF-3: the flow is concluded; the sync ends at its next look.
    wiseflow.state.setFlowState(flowId, 'CONCLUDED');
    await env.sleep('12 hours');
    const result = await handle.result();
    expect(result).toMatchObject({
      flowId,
      periodNumber: PERIOD,
      flowState: 'CONCLUDED',
      endReason: 'the flow is concluded',
    });
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });
});

it('[WF-5] an update request from WISEflow is synced at once and answered done; a replayed webhook changes nothing; a failed sync is answered failed with the reason', async () => {
  seedInternship(wiseflow, praktikportalen, { flowId, supervisors: [1] });
  wiseflow.state.registerWebhook({
    url: `${intake.url}/webhooks/wiseflow`,
    secret: WEBHOOK_SECRET,
    events: ['FLOW_EXTERNAL_SOURCE'],
  });
  await withWorker(async (taskQueue) => {
    const handle = await link(taskQueue, { syncEveryMinutes: 24 * 60 });
    let s = await syncedPast(handle, 0);

    // A supervisor added in Praktikportalen reaches the flow at once on the manager's "update".
    praktikportalen.state.addSupervisor(PERIOD, supervisor(2));
    const { requestId, deliveries } = await wiseflow.state.requestUpdate(flowId);
    expect(deliveries.map((d) => d.outcome)).toEqual(['delivered']);
    expect(flow().externalSources[0]!.syncState).toBe('PENDING');
    s = await waitFor(
      'the answer',
      () => status(handle),
      (x) => x.answered.length === 1 && x.phase === 'waiting',
    );
    expect(s.answered[0]).toMatchObject({ requestId, outcome: 'done' });
    expect(s.lastSync).toMatchObject({ trigger: 'update-request', outcome: 'synced', assessorsAdded: 1 });
    expect(flow().externalSources[0]!.syncState).toBe('SUCCESS');
    expect(externalAssessorUserIds()).toHaveLength(2);
    const syncs = s.syncs;

    // At least once: the same delivery again is a duplicate at the intake, and the same request id
    // signalled again is answered once only; nothing is synced or written again.
    const again = await wiseflow.webhooks.redeliver(
      deliveries[0]!.deliveryId,
      wiseflow.state.webhookRegistrations,
    );
    expect(again.outcome).toBe('delivered');
    expect(again.attempts.at(-1)?.status).toBe(200);
    await handle.signal(requestSyncSignal, { requestId, reference: PERIOD });
    const writes = wiseflow.state.userWrites.length;
    await new Promise((r) => setTimeout(r, 1000));
    s = await status(handle);
    expect(s.syncs).toBe(syncs);
    expect(s.answered).toHaveLength(1);
    expect(wiseflow.state.userWrites).toHaveLength(writes);

    // An unsigned delivery is refused.
    const unsigned = await fetch(`${intake.url}/webhooks/wiseflow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-delivery-id': 'forged-1' },
      body: JSON.stringify({ event: 'FLOW_EXTERNAL_SOURCE', requestId: 'forged', flowId }),
    });
    expect(unsigned.status).toBe(401);

    // A sync that fails is answered failed, with the reason WISEflow shows the manager.
    wiseflow.state.licence = { ...wiseflow.state.licence, accessTokenModule: false };
    praktikportalen.state.addSupervisor(PERIOD, supervisor(4));
    await wiseflow.state.requestUpdate(flowId);
    s = await waitFor(
      'the failed answer',
      () => status(handle),
      (x) => x.answered.length === 2 && x.phase === 'waiting',
    );
    expect(s.answered[1]!.outcome).toBe('failed');
    expect(s.answered[1]!.reason).toMatch(/access-token module/);
    const source = flow().externalSources[0]!;
    expect(source.syncState).toBe('FAILED');
    expect(source.failReason).toBe(s.answered[1]!.reason);
    expect(s.lastSync).toMatchObject({ outcome: 'failed', trigger: 'update-request' });
    await handle.terminate('test over');
  });
});

it('[WF-4] a licence without a Praktikportalen id is refused with a message, and nothing is written', async () => {
  seedInternship(wiseflow, praktikportalen, { flowId });
  wiseflow.state.licence = { ...wiseflow.state.licence, userDataTypes: [{ id: 3, name: 'CPR' }] };
  await withWorker(async (taskQueue) => {
    const handle = await link(taskQueue, {});
    const failure = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause?.message).toMatch(/carries no Praktikportalen id/);
    expect(cause?.message).toMatch(/it has: 3 \(CPR\)/);
    expect(flow().externalSources).toEqual([]);
    expect(wiseflow.state.users.size).toBe(0);
    const s = await status(handle);
    expect(s.phase).toBe('refused');
  });
});
