/**
 * The flow sync on the real Temporal dev server with the worker as its own process, against the
 * WISEflow and Praktikportalen simulators: a worker killed in the middle of a sync (WF-1: the restarted
 * worker finishes it, and no user or assessor exists twice), and an update request that names no
 * period, whose flow sync is found by its search attribute (WF-5).
 */
import type { Client } from '@temporalio/client';
import { flowSyncRequester, linkFlowToPeriod } from '../../../client/wiseflow';
import { startSmtpSink, type SmtpSink } from '../../../services/smtp-sink';
import {
  startPraktikportalenSimulator,
  type PraktikportalenSimulator,
} from '../../../simulators/praktikportalen';
import { startWiseflowSimulator, type WiseflowSimulator } from '../../../simulators/wiseflow';
import type { RunningDevServer } from '../../../stack/temporal-dev-server';
import { flowSyncStatusQuery } from '../../../workflows/wiseflow-flow-sync';
import { startTestDevServer, type TestDevServer } from '../../support/dev-server';
import { freePort } from '../../support/ports';
import { FLOW_ID, PERIOD, seedInternship, supervisor } from '../../support/wiseflow-harness';
import { spawnWorkerProcess, waitForExit } from '../../support/worker-process';

jest.setTimeout(180_000);

let dev: TestDevServer;
let server: RunningDevServer;
let client: Client;
let wiseflow: WiseflowSimulator;
let praktikportalen: PraktikportalenSimulator;
let smtp: SmtpSink;

beforeAll(async () => {
  dev = await startTestDevServer('wiseflow-crash');
  ({ server, client } = dev);
  wiseflow = await startWiseflowSimulator();
  praktikportalen = await startPraktikportalenSimulator();
  smtp = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
});

afterAll(async () => {
  await wiseflow?.close();
  await praktikportalen?.close();
  await smtp?.close();
  await dev?.stop();
});

it('[WF-1][PLAT-8] a worker killed mid-sync duplicates no user and no assessor: the restarted worker finishes the sync', async () => {
  const supervisors = [1, 2, 3, 4, 5, 6];
  seedInternship(wiseflow, praktikportalen, { supervisors });
  const env = async () => ({
    TEMPORAL_ADDRESS: server.address,
    GRADE_RETURN_ENABLED: 'false',
    WISEFLOW_ENABLED: 'true',
    WISEFLOW_API_URL: `${wiseflow.url}/v1`,
    PRAKTIKPORTALEN_API_URL: `${praktikportalen.url}/api/v1`,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.smtpPort),
    WORKER_METRICS_PORT: String(await freePort()),
  });
  // Each WISEflow call takes 250 ms, so the sync is still adding assessors when the worker dies.
  wiseflow.setFaults({ latencyMs: 250 });
  const first = spawnWorkerProcess(await env());
  const linked = await linkFlowToPeriod(client, { flowId: FLOW_ID, periodNumber: PERIOD });
  const handle = client.workflow.getHandle(linked.workflowId);
  const assessors = () => wiseflow.state.flows.get(FLOW_ID)!.assessors;
  const deadline = Date.now() + 90_000;
  while (assessors().length < 2) {
    if (Date.now() > deadline) throw new Error(`no assessors arrived:\n${first.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  first.kill('SIGKILL');
  await waitForExit(first);
  const atCrash = assessors().length;
  expect(atCrash).toBeLessThan(supervisors.length);

  wiseflow.setFaults({ latencyMs: 0 });
  const second = spawnWorkerProcess(await env());
  try {
    let status = await handle.query(flowSyncStatusQuery);
    while (status.syncs < 1 || status.phase !== 'waiting') {
      if (Date.now() > deadline + 60_000) throw new Error(`the sync never finished:\n${second.output()}`);
      await new Promise((r) => setTimeout(r, 100));
      status = await handle.query(flowSyncStatusQuery);
    }
    expect(status.lastSync).toMatchObject({ outcome: 'synced', supervisors: supervisors.length });
    const userIds = assessors().map((a) => a.userId);
    expect(userIds).toHaveLength(supervisors.length);
    expect(new Set(userIds).size).toBe(supervisors.length);
    expect(wiseflow.state.users.size).toBe(supervisors.length);
    expect(wiseflow.state.userWrites.filter((w) => w.created)).toHaveLength(supervisors.length);
    expect(Object.keys(status.supervisors).sort()).toEqual(supervisors.map((n) => `pp-sup-${n}`).sort());
    await handle.terminate('test over');
  } finally {
    second.kill('SIGTERM');
    await waitForExit(second);
  }
});

it('[WF-5] an update request that names no period reaches the flow sync found by its SourceId, and is answered done', async () => {
  wiseflow.state.reset();
  praktikportalen.state.reset();
  const flowId = FLOW_ID + 1;
  seedInternship(wiseflow, praktikportalen, { flowId, supervisors: [1] });
  const worker = spawnWorkerProcess({
    TEMPORAL_ADDRESS: server.address,
    GRADE_RETURN_ENABLED: 'false',
    WISEFLOW_ENABLED: 'true',
    WISEFLOW_API_URL: `${wiseflow.url}/v1`,
    PRAKTIKPORTALEN_API_URL: `${praktikportalen.url}/api/v1`,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.smtpPort),
    WORKER_METRICS_PORT: String(await freePort()),
  });
  try {
    const linked = await linkFlowToPeriod(client, { flowId, periodNumber: PERIOD });
    const handle = client.workflow.getHandle(linked.workflowId);
    const source = () => wiseflow.state.flows.get(flowId)!.externalSources[0];
    const deadline = Date.now() + 60_000;
    while ((await handle.query(flowSyncStatusQuery)).syncs < 1) {
      if (Date.now() > deadline) throw new Error(`no first sync:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    praktikportalen.state.addSupervisor(PERIOD, supervisor(2));
    const answer = await flowSyncRequester(client)({ flowId, requestId: 'no-reference-1' });
    expect(answer).toEqual({ outcome: 'signalled', workflowId: linked.workflowId });
    while (source()?.syncState !== 'SUCCESS') {
      if (Date.now() > deadline) throw new Error(`never answered:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(wiseflow.state.flows.get(flowId)!.assessors).toHaveLength(2);
    expect(await flowSyncRequester(client)({ flowId: 9999, requestId: 'unlinked' })).toEqual({
      outcome: 'no-sync',
    });
    await handle.terminate('test over');
  } finally {
    worker.kill('SIGTERM');
    await waitForExit(worker);
  }
});
