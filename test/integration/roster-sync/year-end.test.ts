/**
 * The year-end lifecycle on the time-skipping test server (IMSE-5..7): a freeze from the last
 * teaching day whose daily runs write nothing until it is resumed; a delay-delete window over a
 * whole summer whose runs create newcomers and hold leavers, forgets a leaver who returns, previews
 * its closing run and closes by itself, after which the closing run stops at the filter and applies
 * once approved; summer data; partial approval.
 */
import { Client, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLocalStore } from '../../../platform/store';
import { dataConverter } from '../../../platform/codec';
import type { SafetyThresholdsInput } from '../../../domain/roster';
import type { SmtpSink } from '../../../services/smtp-sink';
import type { ItslearningSimulator } from '../../../simulators/itslearning';
import { deletesOfPlan, heldDeletesList, storeSummerData } from '../../../client/year-end';
import { approveUpdate, rosterSyncStatusQuery, rosterSyncWorkflow } from '../../../workflows/roster-sync';
import {
  delayDeleteStatusQuery,
  delayDeleteWindowWorkflow,
  heldDeletesSignal,
  previewCloseUpdate,
  setEndDateUpdate,
} from '../../../workflows/delay-delete-window';
import { freezeStatusQuery, resumeUpdate, yearEndFreezeWorkflow } from '../../../workflows/year-end-freeze';
import { startOfStockholmDay } from '../../../domain/roster-sync';
import { delayDeleteWorkflowId, yearEndFreezeWorkflowId } from '../../../platform/names';
import { testCodec } from '../../support/codec';
import { waitForPhase } from '../../support/roster-sync-harness';
import { useRosterSyncTestBed } from '../../support/roster-sync-test-bed';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../support/temporal';
import { changingSource, heldInTarget, school, yearEndWorker } from '../../support/year-end-harness';

let env: TestWorkflowEnvironment;
let itslearning: ItslearningSimulator;
let smtp: SmtpSink;
let storeDir: string;

useRosterSyncTestBed(createTimeSkippingEnv, (bed) => ({ env, itslearning, smtp, storeDir } = bed));

/** Any person or course delete stops a run: the closing run of a summer always needs an operator. */
const strict: SafetyThresholdsInput = {
  perType: { person: { deletes: { max: 0 } }, course: { deletes: { max: 0 } } },
};

/** A client that, unlike `env.client`, never lets the server skip time while it waits. */
const plainClient = (): Client =>
  new Client({
    connection: env.connection,
    namespace: env.namespace,
    dataConverter: dataConverter(testCodec()),
  });

/** Next year's date: the test server's clock moves on from test to test as time skips. */
let year = 0;
const day = (mmdd: string): string => `${year}-${mmdd}`;
beforeEach(async () => {
  year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
});

let seq = 0;
/** A roster run as the daily schedule starts one, for `syncDate`; returns its handle. */
async function runFor(taskQueue: string, integrationId: string, syncDate: string) {
  seq += 1;
  return plainClient().workflow.start(rosterSyncWorkflow, {
    taskQueue,
    workflowId: `roster-sync:${integrationId}-${syncDate}-${seq}`,
    args: [{ integrationId, syncDate }],
  });
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never: ${what}`);
}

async function withWorker<T>(
  source: ReturnType<typeof changingSource>,
  fn: (taskQueue: string) => Promise<T>,
): Promise<T> {
  const taskQueue = uniqueTaskQueue('year-end');
  const worker = await yearEndWorker({
    connection: env.nativeConnection,
    taskQueue,
    itslearning,
    smtp,
    storeDir,
    thresholds: strict,
    source,
  });
  return worker.runUntil(fn(taskQueue));
}

it('[IMSE-6] a delay-delete window over a summer: newcomers are created, leavers held and listed, a returning leaver is not deleted, the closing run stops at the filter and applies after approval, then the summer report is e-mailed', async () => {
  const integrationId = 'summer-window';
  const source = changingSource(school(['s-anna', 's-bo', 's-cia']));
  await withWorker(source, async (taskQueue) => {
    expect((await (await runFor(taskQueue, integrationId, day('06-01'))).result()).phase).toBe('applied');

    const window = await env.client.workflow.start(delayDeleteWindowWorkflow, {
      taskQueue,
      workflowId: delayDeleteWorkflowId(integrationId),
      args: [{ integrationId, startDate: day('06-13'), endDate: day('08-15'), reason: 'summer' }],
    });
    const windowStatus = () =>
      plainClient().workflow.getHandle(window.workflowId).query(delayDeleteStatusQuery);

    // June: Anna and Bo leave, Dan arrives.
    source.roster = school(['s-cia', 's-dan']);
    const june = await (await runFor(taskQueue, integrationId, day('06-20'))).result();
    expect(june.phase).toBe('applied');
    expect(june.summary?.totals).toMatchObject({ create: 2, delete: 0, held: 4 });
    expect(heldInTarget(itslearning).persons).toEqual(['s-anna', 's-bo', 's-cia', 's-dan', 't-lena']);
    const listed = await until(windowStatus, (s) => s.held?.asOf === day('06-20'), 'held counts');
    expect(listed.held).toMatchObject({ total: 4, byType: { person: 2, membership: 2 } });
    const mail = await smtp.waitFor((m) => m.subject.includes(day('06-20')), 10_000);
    expect(mail.text).toContain('4 delete(s) held until');
    expect(mail.text).toContain(`year-end held ${integrationId}`);
    const store = createLocalStore(storeDir);
    expect((await heldDeletesList(store, integrationId))?.held).toEqual(
      expect.arrayContaining(['delete person s-anna (s-anna Elev)', 'delete person s-bo (s-bo Elev)']),
    );

    // July: Eva arrives. August: Bo comes back; only Anna is still a held delete.
    source.roster = school(['s-cia', 's-dan', 's-eva']);
    expect(
      (await (await runFor(taskQueue, integrationId, day('07-10'))).result()).summary?.totals,
    ).toMatchObject({
      create: 2,
      held: 4,
    });
    source.roster = school(['s-bo', 's-cia', 's-dan', 's-eva']);
    await (await runFor(taskQueue, integrationId, day('08-05'))).result();
    expect(
      (await until(windowStatus, (s) => s.held?.asOf === day('08-05'), 'August counts')).held?.total,
    ).toBe(2);
    expect((await heldDeletesList(store, integrationId))?.held).toEqual([
      'delete membership c-9a / s-anna',
      'delete person s-anna (s-anna Elev)',
    ]);

    // Before the end: what the closing run will delete, and that the filter will stop it.
    const preview = await plainClient()
      .workflow.getHandle(window.workflowId)
      .executeUpdate(previewCloseUpdate, { args: [{}] });
    expect(preview).toMatchObject({ syncDate: day('08-15'), stopsAtFilter: true });
    expect(await deletesOfPlan(store, preview.planKey!)).toEqual([
      'delete membership c-9a / s-anna',
      'delete person s-anna (s-anna Elev)',
    ]);
    expect(heldInTarget(itslearning).persons).toContain('s-anna');

    // The window closes by itself at its end date (time skips to it), then waits for the closing run.
    await env.sleep(startOfStockholmDay(day('08-15')).getTime() + 3_600_000 - (await env.currentTimeMs()));
    const closed = await until(windowStatus, (s) => s.phase === 'closed', 'closed');
    expect(closed).toMatchObject({ end: day('08-15'), report: { state: 'waiting-for-closing-run' } });
    expect(
      (await smtp.waitFor((m) => m.subject.includes('delay-delete window closed'), 10_000)).text,
    ).toContain('2 deletes held');

    // The closing run: the held deletes come through the filter, which stops it; approved, it applies.
    const closing = await runFor(taskQueue, integrationId, day('08-16'));
    const stopped = await waitForPhase(closing, 'awaiting-approval');
    expect(stopped.summary?.byType.person).toMatchObject({ delete: 1, held: 0 });
    await closing.executeUpdate(approveUpdate, {
      args: [{ operator: 'ops@school.test', comment: 'summer leavers' }],
    });
    expect((await closing.result()).phase).toBe('applied');
    expect(heldInTarget(itslearning).persons).toEqual(['s-bo', 's-cia', 's-dan', 's-eva', 't-lena']);

    // Then the window e-mails its summer report [IMSE-6]: Dan and Eva with their 9A memberships
    // created; Anna and her membership deleted by the closing run; Bo came back, so nothing of his.
    expect((await window.result()).report).toMatchObject({ state: 'sent', schools: 1 });
    const report = await smtp.waitFor((m) => m.subject.includes('summer report'), 10_000);
    expect(report.text).toMatch(/^Skolan\s+4\s+0\s+2\s+0$/m);
  });
});

it('[IMSE-6] a window ends early by setEndDate, recording who ended it', async () => {
  const integrationId = 'short-window';
  const source = changingSource(school(['s-anna']));
  await withWorker(source, async (taskQueue) => {
    const window = await env.client.workflow.start(delayDeleteWindowWorkflow, {
      taskQueue,
      workflowId: delayDeleteWorkflowId(integrationId),
      args: [{ integrationId, startDate: day('06-13'), endDate: day('08-15') }],
    });
    const handle = plainClient().workflow.getHandle(window.workflowId);
    await expect(
      handle.executeUpdate(setEndDateUpdate, {
        args: [{ operator: 'ops@school.test', endDate: day('06-01') }],
      }),
    ).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/endDate must not be before the start date/) },
    });
    const status = await handle.executeUpdate(setEndDateUpdate, {
      args: [{ operator: 'ops@school.test', endDate: day('06-20'), comment: 'short summer' }],
    });
    expect(status.endChanges).toEqual([
      expect.objectContaining({ operator: 'ops@school.test', from: day('08-15'), to: day('06-20') }),
    ]);
    const ended = await window.result();
    expect(ended.end).toBe(day('06-20'));
    // No run applied after it closed: the summer report goes out when waiting runs out, and says so.
    expect(ended.report?.state).toBe('sent-without-closing-run');
    expect((await smtp.waitFor((m) => m.subject.includes('summer report'), 10_000)).subject).toContain(
      'closing run NOT applied',
    );
  });
});

it('[IMSE-6] a window that waits months continues as new before its history grows, keeping its state', async () => {
  const integrationId = 'long-window';
  await withWorker(changingSource(school([])), async (taskQueue) => {
    const started = await env.client.workflow.start(delayDeleteWindowWorkflow, {
      taskQueue,
      workflowId: delayDeleteWorkflowId(integrationId),
      args: [{ integrationId, startDate: day('06-13'), endDate: day('08-15'), continueAsNewAfterEvents: 50 }],
    });
    const handle = plainClient().workflow.getHandle(started.workflowId);
    await until(
      () => handle.query(delayDeleteStatusQuery),
      (s) => s.startedBy !== null,
      'started',
    );
    // Daily runs report what they held: here 30 reports in a row.
    for (let total = 1; total <= 30; total++) {
      await handle.signal(heldDeletesSignal, {
        asOf: day('06-20'),
        runWorkflowId: 'roster-sync:test',
        key: 'year-end/long-window/held-deletes.json',
        total,
        byType: { person: total },
      });
    }
    await until(
      () => handle.describe(),
      (d) => d.runId !== started.firstExecutionRunId,
      'continued as new',
    );
    const status = await until(
      () => handle.query(delayDeleteStatusQuery),
      (s) => s.held?.total === 30,
      'state carried over',
    );
    expect(status).toMatchObject({ phase: 'scheduled', start: day('06-13'), end: day('08-15') });
    expect(status.startedBy).not.toBeNull();
    expect((await handle.describe()).historyLength).toBeLessThan(60);
    // Left waiting without a worker, it would hold the test server's clock for the tests after it.
    await handle.terminate('test done');
  });
});

it('[IMSE-5] a freeze from the last teaching day: an e-mail the day before, runs started while frozen refuse naming the freeze and write nothing, resume records who and the runs write again', async () => {
  const integrationId = 'frozen-school';
  const source = changingSource(school(['s-anna', 's-bo']));
  await withWorker(source, async (taskQueue) => {
    expect((await (await runFor(taskQueue, integrationId, day('06-01'))).result()).phase).toBe('applied');
    const importsBefore = itslearning.importer.log.length;

    const freeze = await env.client.workflow.start(yearEndFreezeWorkflow, {
      taskQueue,
      workflowId: yearEndFreezeWorkflowId(integrationId),
      args: [{ integrationId, lastTeachingDay: day('06-12'), reason: 'summer break' }],
    });
    const freezeStatus = () => plainClient().workflow.getHandle(freeze.workflowId).query(freezeStatusQuery);
    expect((await until(freezeStatus, (s) => s.startedBy !== null, 'started')).phase).toBe('scheduled');

    // Time passes to the day before the last teaching day: the e-mail; then to the day: the freeze.
    await env.sleep(Date.parse(`${day('06-11')}T10:00:00Z`) - (await env.currentTimeMs()));
    const warning = await smtp.waitFor((m) => m.subject.includes('year-end freeze starts'), 30_000);
    expect(warning.subject).toContain(`year-end freeze starts ${day('06-12')}`);
    expect((await freezeStatus()).phase).toBe('scheduled');
    await env.sleep(Date.parse(`${day('06-12')}T06:00:00Z`) - (await env.currentTimeMs()));
    const frozen = await until(freezeStatus, (s) => s.phase === 'frozen', 'frozen');
    expect(frozen).toMatchObject({ since: day('06-12'), until: null, reason: 'summer break' });
    // The test server has no schedules; the dev-server test shows the pause and its note.
    expect(frozen.schedule).toMatchObject({ id: `roster-sync-daily:${integrationId}` });

    // Daily runs (as the schedule or an operator starts them) refuse and write nothing.
    source.roster = school(['s-cia']);
    for (const d of ['06-13', '06-14', '06-15']) {
      const run = await runFor(taskQueue, integrationId, day(d));
      const err = await run.result().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe('RosterIntegrationFrozen');
      expect(cause.nonRetryable).toBe(true);
      expect(cause.message).toContain(`frozen for the year-end since ${day('06-12')}`);
      expect(cause.message).toContain(yearEndFreezeWorkflowId(integrationId));
      await env.sleep(86_400_000);
    }
    expect(itslearning.importer.log.length).toBe(importsBefore);
    expect(heldInTarget(itslearning).persons).toEqual(['s-anna', 's-bo', 't-lena']);

    const resumed = await plainClient()
      .workflow.getHandle(freeze.workflowId)
      .executeUpdate(resumeUpdate, { args: [{ operator: 'ops@school.test', comment: 'new year' }] });
    expect(resumed.resumed).toMatchObject({ how: 'operator', operator: 'ops@school.test' });
    expect((await freeze.result()).phase).toBe('resumed');
    expect((await smtp.waitFor((m) => m.subject.includes('freeze ended'), 30_000)).text).toContain(
      'Ended by ops@school.test',
    );
    // Writing again: the leavers of the frozen weeks now stop at the filter, as any run's would.
    await waitForPhase(await runFor(taskQueue, integrationId, day('08-16')), 'awaiting-approval');
  });
});

it('[IMSE-7] summer data keeps summer activities: its course is created and its members kept, and a freeze is refused pointing to the delay-delete window', async () => {
  const integrationId = 'summer-school';
  const source = changingSource(school(['s-anna', 's-bo']));
  await withWorker(source, async (taskQueue) => {
    await (await runFor(taskQueue, integrationId, day('06-01'))).result();
    await storeSummerData(createLocalStore(storeDir), {
      integrationId,
      validFrom: day('06-13'),
      validUntil: day('08-10'),
      groups: [{ sourcedId: 'k-sommar', kind: 'course', name: 'Sommarskola', parentId: 'u-skola' }],
      memberships: [
        { groupId: 'k-sommar', personId: 's-bo', role: 'Learner' },
        { groupId: 'c-9a', personId: 's-bo', role: 'Learner' },
      ],
      persons: [{ sourcedId: 's-bo', givenName: 's-bo', familyName: 'Elev', roles: ['student'] }],
    });
    // The school year ends: Bo leaves the source but goes to summer school.
    source.roster = school(['s-anna']);
    const run = await (await runFor(taskQueue, integrationId, day('06-20'))).result();
    expect(run.phase).toBe('applied');
    expect(run.summary?.totals).toMatchObject({ create: 2, delete: 0 });
    expect(heldInTarget(itslearning)).toEqual({
      persons: ['s-anna', 's-bo', 't-lena'],
      groups: ['c-9a', 'k-sommar', 'k-sv9a', 'u-skola'],
    });

    const freeze = await env.client.workflow.start(yearEndFreezeWorkflow, {
      taskQueue,
      workflowId: yearEndFreezeWorkflowId(integrationId),
      args: [{ integrationId, lastTeachingDay: day('06-12'), reason: 'summer break' }],
    });
    const err = await freeze.result().then(
      () => null,
      (e: unknown) => e,
    );
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('SummerDataConfigured');
    expect(cause.message).toContain('delay-delete window');
  });
});

it('[IMSE-3] partial approval: membership changes and person deletes are applied, the course changes are held for a later run', async () => {
  const integrationId = 'partial';
  const source = changingSource(school(['s-anna', 's-bo']));
  await withWorker(source, async (taskQueue) => {
    await (await runFor(taskQueue, integrationId, day('06-01'))).result();
    const next = school(['s-bo']);
    next.groups = next.groups.filter((g) => g.kind !== 'course');
    next.memberships = next.memberships.filter((m) => m.groupId !== 'k-sv9a');
    source.roster = next;
    const run: WorkflowHandle<typeof rosterSyncWorkflow> = await runFor(
      taskQueue,
      integrationId,
      day('06-20'),
    );
    await waitForPhase(run, 'awaiting-approval');
    await run.executeUpdate(approveUpdate, {
      args: [
        {
          operator: 'ops@school.test',
          apply: [{ entityType: 'membership' }, { entityType: 'person', op: 'delete' }],
        },
      ],
    });
    const result = await run.result();
    expect(result.phase).toBe('applied');
    expect(heldInTarget(itslearning)).toEqual({
      persons: ['s-bo', 't-lena'],
      groups: ['c-9a', 'k-sv9a', 'u-skola'],
    });
    const status = await run.query(rosterSyncStatusQuery);
    expect(status.approval?.selection).toEqual({
      apply: [{ entityType: 'membership' }, { entityType: 'person', op: 'delete' }],
    });
    expect(status.summary?.byType.course.held).toBe(1);
    expect(
      (await smtp.waitFor((m) => m.subject.includes('applied') && m.subject.includes(day('06-20')), 10_000))
        .text,
    ).toContain('Partial approval: apply only all membership changes, person deletes');
    // The course change was held, not dropped: the next run plans it again and the filter stops it.
    const later = await plainClient().workflow.execute(rosterSyncWorkflow, {
      taskQueue,
      workflowId: `roster-sync-partial-dry-run-${seq}`,
      args: [{ integrationId, syncDate: day('06-21'), dryRun: true }],
    });
    // Counted whatever the removal is (a delete, or an archive where courses are archived).
    const course: Record<string, number> = later.summary?.byType.course ?? {};
    const removals = Object.entries(course).filter(
      ([op]) => op !== 'create' && op !== 'update' && op !== 'held',
    );
    expect(removals.reduce((n, [, c]) => n + c, 0)).toBe(1);
  });
});
