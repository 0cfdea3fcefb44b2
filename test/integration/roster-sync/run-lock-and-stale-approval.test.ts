/**
 * IMSE-11 and the filter's reporting (IMSE-3, IMSE-4) on the time-skipping test server: an approval
 * is checked against a fresh plan, one run per integration at a time whoever starts it, and a filter
 * turned off by configuration is said in every e-mail and the status query.
 */
import { Client, WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { SafetyThresholdsInput } from '../../../domain/roster';
import { dataConverter } from '../../../platform/codec';
import type { SmtpSink } from '../../../services/smtp-sink';
import type { ItslearningSimulator } from '../../../simulators/itslearning';
import {
  approveUpdate,
  rejectUpdate,
  rosterSyncStatusQuery,
  rosterSyncWorkflow,
} from '../../../workflows/roster-sync';
import {
  ROSTER_SYNC_DATE,
  rosterSyncWorker,
  seedDeparted as seedDepartedIn,
  waitForPhase,
} from '../../support/roster-sync-harness';
import { testCodec } from '../../support/codec';
import { useRosterSyncTestBed } from '../../support/roster-sync-test-bed';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../support/temporal';

let env: TestWorkflowEnvironment;
let itslearning: ItslearningSimulator;
let smtp: SmtpSink;
let storeDir: string;

useRosterSyncTestBed(createTimeSkippingEnv, (bed) => ({ env, itslearning, smtp, storeDir } = bed));

const strict: SafetyThresholdsInput = { perType: { person: { deletes: { max: 10 } } } };

async function runWithWorker<T>(thresholds: SafetyThresholdsInput, fn: (taskQueue: string) => Promise<T>) {
  const taskQueue = uniqueTaskQueue('roster-sync');
  const worker = await rosterSyncWorker({
    connection: env.nativeConnection,
    taskQueue,
    itslearning,
    smtp,
    storeDir,
    thresholds,
  });
  return worker.runUntil(fn(taskQueue));
}

let seq = 0;
function start(taskQueue: string, workflowId?: string, input: Record<string, unknown> = {}) {
  seq += 1;
  return env.client.workflow.start(rosterSyncWorkflow, {
    taskQueue,
    workflowId: workflowId ?? `roster-sync-imse11-${seq}-${Date.now()}`,
    args: [{ syncDate: ROSTER_SYNC_DATE, ...input }],
  });
}

/** A client on the test server that, unlike `env.client`, never lets it skip time while it waits. */
const withoutTimeSkipping = (): Client =>
  new Client({
    connection: env.connection,
    namespace: env.namespace,
    dataConverter: dataConverter(testCodec()),
  });

const departedLeft = () =>
  [...itslearning.state.persons.values()].filter((p) => p.syncKey?.id.startsWith('departed-')).length;

it('[IMSE-11] an approval is checked against a fresh plan: more deletes than approved stop the run again with an e-mail saying what changed', async () => {
  seedDepartedIn(itslearning, 30);
  await runWithWorker(strict, async (taskQueue) => {
    const handle = await start(taskQueue);
    await waitForPhase(handle, 'awaiting-approval');
    // During the wait five more persons leave the source: deletes the operator never saw.
    itslearning.state.seed({
      persons: Array.from({ length: 5 }, (_, i) => ({
        syncKey: { source: 'procapita', id: `departed-late-${i}` },
        firstName: 'Late',
        lastName: `Leaver ${i}`,
      })),
    });
    await handle.executeUpdate(approveUpdate, { args: [{ operator: 'ops@school.test' }] });
    const mail = await smtp.waitFor((m) => m.subject.includes('STOPPED again'), 10_000);
    const again = await handle.query(rosterSyncStatusQuery);
    expect(again.phase).toBe('awaiting-approval');
    expect(again.approval).toBeNull();
    expect(again.sinceApproval).toMatchObject({
      within: false,
      changes: [{ entityType: 'person', op: 'delete', approved: 30, now: 35 }],
      unapprovedDeletes: { person: 5 },
      approved: { decision: 'approved', operator: 'ops@school.test' },
    });
    expect(itslearning.importer.log).toHaveLength(0);
    expect(mail.text).toContain('person deletes: approved 30, now 35');
    expect(mail.text).toContain('person: 5 delete(s) of entities the approved plan did not delete');

    await handle.executeUpdate(approveUpdate, {
      args: [{ operator: 'ops@school.test', comment: 'late leavers ok' }],
    });
    expect((await handle.result()).phase).toBe('applied');
  });
  expect(departedLeft()).toBe(0);
});

it('[IMSE-11] a fresh plan within the approval is applied: fewer deletes of the approved persons', async () => {
  seedDepartedIn(itslearning, 30);
  await runWithWorker(strict, async (taskQueue) => {
    const handle = await start(taskQueue);
    await waitForPhase(handle, 'awaiting-approval');
    // Two of the leavers are removed by hand meanwhile: the fresh plan no longer deletes them.
    for (const id of ['departed-0', 'departed-1']) {
      const person = itslearning.state.findPerson({ source: 'procapita', id });
      if (person) itslearning.state.persons.delete(person.id);
    }
    itslearning.state.version++; // a write by hand, as the site's own writes do
    await handle.executeUpdate(approveUpdate, { args: [{ operator: 'ops@school.test' }] });
    const result = await handle.result();
    expect(result.phase).toBe('applied');
    expect(result.summary?.byType.person.delete).toBe(28);
    expect(result.applied?.warningCount).toBe(0);
    expect((await handle.query(rosterSyncStatusQuery)).sinceApproval).toMatchObject({
      within: true,
      changes: [{ entityType: 'person', op: 'delete', approved: 30, now: 28 }],
    });
  });
  expect(departedLeft()).toBe(0);
  expect(smtp.messages().filter((m) => m.subject.includes('STOPPED again'))).toHaveLength(0);
});

it('[IMSE-11] one run per integration: a second start with any id fails at once and names the run that holds it', async () => {
  seedDepartedIn(itslearning, 30);
  await runWithWorker(strict, async (taskQueue) => {
    const holder = await start(taskQueue, 'roster-sync-scheduled-2026-08-20T18:00:00Z');
    await waitForPhase(holder, 'awaiting-approval');

    const manual = await start(taskQueue, 'my-manual-run');
    // Read through a plain client: while the time-skipping client awaits a result the server skips
    // time, here past the holder's approval deadline (which would end the holder before the test decides).
    const err = await withoutTimeSkipping()
      .workflow.getHandle(manual.workflowId)
      .result()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('RosterRunInProgress');
    expect(cause.nonRetryable).toBe(true);
    expect(cause.message).toContain('workflow roster-sync-scheduled-2026-08-20T18:00:00Z');

    // A dry run writes nothing and is not held back.
    // (Polled, not awaited: awaiting a result lets the test server skip past the holder's deadline.)
    expect((await waitForPhase(await start(taskQueue, undefined, { dryRun: true }), 'dry-run')).phase).toBe(
      'dry-run',
    );

    await holder.executeUpdate(rejectUpdate, { args: [{ operator: 'ops@school.test' }] });
    await holder.result();
    const next = await start(taskQueue);
    await waitForPhase(next, 'awaiting-approval');

    // A holder ended from outside (terminated, as after a lost worker an operator would) frees the lock.
    await next.terminate('test: the holder is gone');
    const after = await start(taskQueue);
    expect((await waitForPhase(after, 'awaiting-approval')).phase).toBe('awaiting-approval');
    await after.executeUpdate(rejectUpdate, { args: [{ operator: 'ops@school.test' }] });
    expect((await after.result()).phase).toBe('rejected');
  });
  expect(itslearning.importer.log).toHaveLength(0);
});

it('[IMSE-3][IMSE-4] a filter turned off in the thresholds file is said in the status e-mail and the status query', async () => {
  seedDepartedIn(itslearning, 30);
  await runWithWorker({ ...strict, enabled: false }, async (taskQueue) => {
    const handle = await start(taskQueue);
    const result = await handle.result();
    expect(result.phase).toBe('applied');
    const status = await handle.query(rosterSyncStatusQuery);
    expect(status.safetyFilter).toMatchObject({ enabled: true, offByConfiguration: true });
  });
  const mail = await smtp.waitFor((m) => m.subject.includes('applied'), 10_000);
  expect(mail.text).toContain('The safety filter is turned OFF by configuration');
});
