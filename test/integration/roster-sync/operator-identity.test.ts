/**
 * Operator decisions record the identity Temporal attaches to the caller (PLAT-15), on the real
 * Temporal dev server: an SDK client with its own identity, and the `temporal` CLI as operators use it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { hostname } from 'node:os';
import { Client, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { dataConverter } from '../../../platform/codec';
import { Secret } from '../../../platform/secret';
import { temporalCliPath } from '../../../platform/tools';
import { startCodecServer } from '../../../services/codec-server';
import type { SmtpSink } from '../../../services/smtp-sink';
import type { ItslearningSimulator } from '../../../simulators/itslearning';
import { approveUpdate, rosterSyncStatusQuery, rosterSyncWorkflow } from '../../../workflows/roster-sync';
import { testCodec } from '../../support/codec';
import {
  ROSTER_SYNC_DATE,
  rosterSyncWorker,
  seedDeparted,
  waitForPhase,
} from '../../support/roster-sync-harness';
import { useRosterSyncTestBed } from '../../support/roster-sync-test-bed';
import { createDevServerEnv, uniqueTaskQueue } from '../../support/temporal';

let env: TestWorkflowEnvironment;
let itslearning: ItslearningSimulator;
let smtp: SmtpSink;
let storeDir: string;

useRosterSyncTestBed(createDevServerEnv, (bed) => ({ env, itslearning, smtp, storeDir } = bed));

/** A client that calls itself `identity`, as the Web UI's signed-in user or an operator's CLI does. */
const clientAs = (identity: string): Client =>
  new Client({ connection: env.connection, identity, dataConverter: dataConverter(testCodec()) });

async function withWorker<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = uniqueTaskQueue('roster-identity');
  const worker = await rosterSyncWorker({
    connection: env.nativeConnection,
    taskQueue,
    itslearning,
    smtp,
    storeDir,
    thresholds: {},
  });
  return worker.runUntil(fn(taskQueue));
}

async function currentDetailsOf(handle: WorkflowHandle): Promise<string> {
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

const mailsWith = (text: string) => smtp.messages().filter((m) => m.text.includes(text));

it('[PLAT-15] approve records the identity the caller sent with the update, not only the typed name', async () => {
  seedDeparted(itslearning, 20);
  await withWorker(async (taskQueue) => {
    const workflowId = `roster-identity-approve-${Date.now()}`;
    const handle = await clientAs('scheduler@integrations').workflow.start(rosterSyncWorkflow, {
      taskQueue,
      workflowId,
      args: [{ syncDate: ROSTER_SYNC_DATE }],
    });
    await waitForPhase(handle, 'awaiting-approval');

    const maria = clientAs('maria.operator@school.example').workflow.getHandle<typeof rosterSyncWorkflow>(
      workflowId,
    );
    // The typed name says one thing; Temporal's identity is what the caller authenticated as.
    const decided = await maria.executeUpdate(approveUpdate, {
      args: [{ operator: 'someone-else@school.example', comment: 'new school year' }],
    });
    expect(decided.approval).toMatchObject({
      decision: 'approved',
      operator: 'someone-else@school.example',
      identity: 'maria.operator@school.example',
    });
    expect((await handle.result()).phase).toBe('applied');

    const status = await handle.query(rosterSyncStatusQuery);
    expect(status.approval?.identity).toBe('maria.operator@school.example');
    expect(await currentDetailsOf(handle)).toContain(
      'Approved by someone-else@school.example (Temporal identity: maria.operator@school.example)',
    );
    expect(mailsWith('Temporal identity: maria.operator@school.example').map((m) => m.subject)).toEqual([
      expect.stringContaining('applied'),
    ]);
  });
});

it('[PLAT-15] turning the filter off records the identity that started the run', async () => {
  seedDeparted(itslearning, 20);
  await withWorker(async (taskQueue) => {
    const workflowId = `roster-identity-filter-off-${Date.now()}`;
    const handle = await clientAs('anna@ops-laptop').workflow.start(rosterSyncWorkflow, {
      taskQueue,
      workflowId,
      args: [
        {
          syncDate: ROSTER_SYNC_DATE,
          safetyFilter: { enabled: false, disabledBy: 'anna@school.example', reason: 'known cleanup' },
        },
      ],
    });
    expect((await handle.result()).phase).toBe('applied');
    const status = await handle.query(rosterSyncStatusQuery);
    expect(status.safetyFilter).toMatchObject({ enabled: false, disabledByIdentity: 'anna@ops-laptop' });
    expect(await currentDetailsOf(handle)).toContain(
      'Safety filter turned off by anna@school.example (Temporal identity: anna@ops-laptop)',
    );
    expect(
      mailsWith('turned OFF for this run by anna@school.example (Temporal identity: anna@ops-laptop)'),
    ).toHaveLength(1);
  });
});

it('[PLAT-15] a decision sent with the temporal CLI records the CLI as its caller', async () => {
  // An operator at a terminal: the CLI sends its own identity, which names this machine.
  seedDeparted(itslearning, 20);
  await withWorker(async (taskQueue) => {
    const workflowId = `roster-identity-cli-${Date.now()}`;
    const handle = await env.client.workflow.start(rosterSyncWorkflow, {
      taskQueue,
      workflowId,
      args: [{ syncDate: ROSTER_SYNC_DATE }],
    });
    await waitForPhase(handle, 'awaiting-approval');
    // The CLI reads the encrypted answer through the codec server, with the token it requires.
    const codecToken = 'operator-cli-codec-token-0123';
    const codecServer = await startCodecServer({
      port: 0,
      codec: testCodec(),
      corsOrigins: [],
      token: new Secret(codecToken),
    });
    // Asynchronously: the worker answering the update runs in this process.
    await promisify(execFile)(
      temporalCliPath(),
      [
        'workflow',
        'update',
        'execute',
        '--address',
        env.address,
        '--workflow-id',
        workflowId,
        '--name',
        'reject',
        '--input',
        JSON.stringify({ operator: 'per@school.example', comment: 'not today' }),
        '--codec-endpoint',
        codecServer.url,
        '--codec-auth',
        `Bearer ${codecToken}`,
      ],
      { timeout: 60_000 },
    ).finally(() => codecServer.close());
    expect((await handle.result()).phase).toBe('rejected');
    const status = await handle.query(rosterSyncStatusQuery);
    expect(status.approval).toMatchObject({ decision: 'rejected', operator: 'per@school.example' });
    expect(status.approval?.identity).toMatch(/^temporal-cli:/);
    expect(status.approval?.identity).toContain(hostname());
    expect(await currentDetailsOf(handle)).toContain(`(Temporal identity: ${status.approval?.identity})`);
  });
});
