/**
 * The roster-sync workflow on the time-skipping test server, against the itslearning simulator over
 * HTTP, a ProCapita fixture read by the real reader, a local snapshot store and the SMTP sink.
 */
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { SafetyThresholdsInput } from '../../../domain/roster';
import type { SmtpSink } from '../../../services/smtp-sink';
import type { ItslearningSimulator } from '../../../simulators/itslearning';
import {
  approveUpdate,
  rejectUpdate,
  rosterSyncStatusQuery,
  rosterSyncWorkflow,
} from '../../../workflows/roster-sync';
import {
  ROSTER_OPS,
  ROSTER_SYNC_DATE,
  rosterSyncWorker,
  seedDeparted as seedDepartedIn,
  waitForPhase,
} from '../../support/roster-sync-harness';
import { useRosterSyncTestBed } from '../../support/roster-sync-test-bed';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../support/temporal';

const OPS = ROSTER_OPS;
const SYNC_DATE = ROSTER_SYNC_DATE;

let env: TestWorkflowEnvironment;
let itslearning: ItslearningSimulator;
let smtp: SmtpSink;
let storeDir: string;

useRosterSyncTestBed(createTimeSkippingEnv, (bed) => ({ env, itslearning, smtp, storeDir } = bed));

async function runWithWorker<T>(
  thresholds: SafetyThresholdsInput,
  fn: (taskQueue: string) => Promise<T>,
): Promise<T> {
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
function start(taskQueue: string, input: Record<string, unknown> = {}) {
  seq += 1;
  return env.client.workflow.start(rosterSyncWorkflow, {
    taskQueue,
    workflowId: `roster-sync-test-${seq}-${Date.now()}`,
    args: [{ syncDate: SYNC_DATE, ...input }],
  });
}

const syncedPersons = () =>
  [...itslearning.state.persons.values()].filter((p) => p.syncKey?.source === 'procapita');
const appliedImports = () => itslearning.importer.log.filter((e) => e.outcome === 'applied');

const seedDeparted = (n: number): void => seedDepartedIn(itslearning, n);

it('[IMSE-1][IMSE-4][PC-9] a run applies the ProCapita roster in batches; the next run finds nothing to do', async () => {
  await runWithWorker({}, async (taskQueue) => {
    const first = await (await start(taskQueue)).result();
    expect(first.phase).toBe('applied');
    expect(first.applied?.operations).toBeGreaterThan(100);
    expect(first.summary?.totals.delete).toBe(0);
    expect(appliedImports().length).toBe(first.applied?.batches);
    expect(syncedPersons().length).toBe(first.summary?.byType.person.create);

    const second = await (await start(taskQueue)).result();
    expect(second.phase).toBe('nothing-to-do');
    expect(appliedImports().length).toBe(first.applied?.batches);
  });
  const subjects = smtp.messages().map((m) => m.subject);
  expect(subjects).toEqual(
    expect.arrayContaining([expect.stringContaining('applied'), expect.stringContaining('no changes')]),
  );
  expect(smtp.messages().every((m) => m.to.includes(OPS))).toBe(true);
});

it('[IMSE-2] a manual administrator without sync key survives a full sync that does not mention it', async () => {
  itslearning.state.seed({
    persons: [
      { firstName: 'Ada', lastName: 'Admin', userName: 'ada.admin', institutionRoles: ['Administrator'] },
    ],
  });
  seedDeparted(3);
  await runWithWorker({ perType: { person: { deletes: { maxShare: 1 } } } }, async (taskQueue) => {
    expect((await (await start(taskQueue)).result()).phase).toBe('applied');
  });
  const admin = [...itslearning.state.persons.values()].find((p) => p.userName === 'ada.admin');
  expect(admin).toMatchObject({ syncKey: null, firstName: 'Ada', lastName: 'Admin' });
  expect(syncedPersons().some((p) => p.syncKey?.id.startsWith('departed-'))).toBe(false);
});

it('[IMSE-4] warnings itslearning reports while importing are counted and shown in the status e-mail', async () => {
  seedDeparted(30);
  await runWithWorker({ perType: { person: { deletes: { max: 10 } } } }, async (taskQueue) => {
    const handle = await start(taskQueue);
    await waitForPhase(handle, 'awaiting-approval');
    // While the run applies its batches (slowed down), an administrator removes two of the leavers
    // by hand in itslearning: the plan still deletes them, and itslearning answers each with a warning.
    itslearning.faults.set({ latencyMs: 100 });
    await handle.executeUpdate(approveUpdate, { args: [{ operator: 'ops@school.test' }] });
    while (itslearning.importer.log.length === 0) await new Promise((r) => setTimeout(r, 20));
    for (const id of ['departed-0', 'departed-1']) {
      const person = itslearning.state.findPerson({ source: 'procapita', id });
      if (person) itslearning.state.persons.delete(person.id);
    }
    const result = await handle.result().finally(() => itslearning.faults.reset());
    expect(result.phase).toBe('applied');
    expect(result.applied?.warningCount).toBe(2);
    expect(result.applied?.warnings).toEqual([
      'person departed-0: delete of an unknown person ignored',
      'person departed-1: delete of an unknown person ignored',
    ]);
  });
  const mail = await smtp.waitFor((m) => m.subject.includes('applied'), 10_000);
  expect(mail.text).toContain('itslearning reported 2 warning(s) while importing:');
  expect(mail.text).toContain('  - person departed-0: delete of an unknown person ignored');
});

it('[IMSE-3][IMSE-4] a run over the threshold writes nothing, e-mails why, waits, and applies after approve', async () => {
  seedDeparted(30);
  await runWithWorker({ perType: { person: { deletes: { max: 10 } } } }, async (taskQueue) => {
    const handle = await start(taskQueue);
    const waiting = await waitForPhase(handle, 'awaiting-approval');
    expect(waiting.violations).toEqual([
      expect.objectContaining({ entityType: 'person', kind: 'deletes', count: 30, limit: 10 }),
    ]);
    expect(waiting.plan?.howToView).toContain('roster-sync/');
    expect(waiting.awaitingApprovalUntil).not.toBeNull();
    expect(itslearning.importer.log).toHaveLength(0);
    const mail = await smtp.waitFor((m) => m.subject.includes('STOPPED'), 10_000);
    expect(mail.text).toContain('person deletes: 30 (limit 10');
    expect(mail.text).toContain('approve');

    const afterApprove = await handle.executeUpdate(approveUpdate, {
      args: [{ operator: 'ops@school.test', comment: 'leavers, expected' }],
    });
    expect(afterApprove.approval).toMatchObject({ decision: 'approved', operator: 'ops@school.test' });
    const result = await handle.result();
    expect(result.phase).toBe('applied');
  });
  expect(syncedPersons().some((p) => p.syncKey?.id.startsWith('departed-'))).toBe(false);
  expect(
    smtp
      .messages()
      .some((m) => m.subject.includes('applied') && m.text.includes('approved by ops@school.test')),
  ).toBe(true);
});

it('[IMSE-3] a rejected run writes nothing; an unanswered one rejects itself at the deadline', async () => {
  seedDeparted(30);
  await runWithWorker({ perType: { person: { deletes: { max: 10 } } } }, async (taskQueue) => {
    const rejected = await start(taskQueue);
    await waitForPhase(rejected, 'awaiting-approval');
    await rejected.executeUpdate(rejectUpdate, { args: [{ operator: 'ops@school.test' }] });
    expect((await rejected.result()).phase).toBe('rejected');

    const unanswered = await start(taskQueue, { approvalTimeoutHours: 24 });
    await waitForPhase(unanswered, 'awaiting-approval');
    expect((await unanswered.result()).phase).toBe('rejected');
    expect((await unanswered.query(rosterSyncStatusQuery)).approval?.decision).toBe('timed-out');
  });
  expect(itslearning.importer.log).toHaveLength(0);
  expect(syncedPersons()).toHaveLength(30);
});

it('[IMSE-3] turning the filter off is an explicit act that needs an operator and a reason, and is recorded', async () => {
  seedDeparted(30);
  await runWithWorker({ perType: { person: { deletes: { max: 10 } } } }, async (taskQueue) => {
    const bad = await start(taskQueue, { safetyFilter: { enabled: false } });
    const err = await bad.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(((err as WorkflowFailedError).cause as ApplicationFailure).type).toBe('InvalidInput');
    expect((err as WorkflowFailedError).cause?.message).toContain('disabledBy');

    const off = await start(taskQueue, {
      safetyFilter: {
        enabled: false,
        disabledBy: 'maria@school.test',
        reason: 'new school year, checked the leavers list',
      },
    });
    expect((await off.result()).phase).toBe('applied');
  });
  const mail = smtp.messages().find((m) => m.subject.includes('applied'));
  expect(mail?.text).toContain('safety filter was turned OFF for this run by maria@school.test');
});

it('[IMSE-10] a dry run for any date plans and reports but writes nothing and sends nothing', async () => {
  seedDeparted(5);
  await runWithWorker({}, async (taskQueue) => {
    const handle = await start(taskQueue, { dryRun: true, syncDate: '2026-09-15' });
    const result = await handle.result();
    expect(result.phase).toBe('dry-run');
    expect(result.syncDate).toBe('2026-09-15');
    expect(result.summary?.totals.create).toBeGreaterThan(0);
    expect(result.summary?.byType.person.delete).toBe(5);
  });
  expect(itslearning.importer.log).toHaveLength(0);
  expect(syncedPersons()).toHaveLength(5);
  expect(smtp.messages()).toHaveLength(0);
});

it('[PLAT-5] approve is refused while the run is not waiting for approval', async () => {
  await runWithWorker({}, async (taskQueue) => {
    const handle = await start(taskQueue, { dryRun: true });
    await handle.result();
    const early = await start(taskQueue);
    const err = await early
      .executeUpdate(approveUpdate, { args: [{ operator: 'x@school.test' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((err as Error).cause as Error | undefined)?.message).toMatch(/not awaiting approval/);
    await early.result();
  });
});
