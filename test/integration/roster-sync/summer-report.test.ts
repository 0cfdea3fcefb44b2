/**
 * The summer report of a delay-delete window (IMSE-6) on the time-skipping test server: two schools
 * over a summer, a teacher who joins both, a class that leaves with its course; the window closes
 * by itself, the closing run stops at the filter and is approved in part (persons held), and then
 * the window e-mails what was created, archived, deleted and is still held, per school.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { summerReportSoFar } from '../../../client/year-end';
import type { Roster, SafetyThresholdsInput } from '../../../domain/roster';
import { startOfStockholmDay } from '../../../domain/roster-sync';
import { dataConverter } from '../../../platform/codec';
import { delayDeleteWorkflowId } from '../../../platform/names';
import { createLocalStore } from '../../../platform/store';
import type { SmtpSink } from '../../../services/smtp-sink';
import type { ItslearningSimulator } from '../../../simulators/itslearning';
import { delayDeleteStatusQuery, delayDeleteWindowWorkflow } from '../../../workflows/delay-delete-window';
import { approveUpdate, rosterSyncWorkflow } from '../../../workflows/roster-sync';
import { testCodec } from '../../support/codec';
import { waitForPhase } from '../../support/roster-sync-harness';
import { useRosterSyncTestBed } from '../../support/roster-sync-test-bed';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../support/temporal';
import { changingSource, heldInTarget, yearEndWorker } from '../../support/year-end-harness';

let env: TestWorkflowEnvironment;
let itslearning: ItslearningSimulator;
let smtp: SmtpSink;
let storeDir: string;

useRosterSyncTestBed(createTimeSkippingEnv, (bed) => ({ env, itslearning, smtp, storeDir } = bed));

const strict: SafetyThresholdsInput = { perType: { person: { deletes: { max: 0 } } } };

/**
 * Norrskolan: class 7N (course Ma 7N) with Kim teaching. Södra skolan: classes 8S (course Ma 8S)
 * and 9S (course Ma 9S) with Siv teaching 8S and 9S. `teachers` adds teachers with the classes
 * they join; a class without an entry in `students` is not in the source.
 */
function twoSchools(students: Record<string, string[]>, teachers: Record<string, string[]> = {}): Roster {
  const classes = [
    { id: 'c-7n', unit: 'u-norr', name: '7N' },
    { id: 'c-8s', unit: 'u-syd', name: '8S' },
    { id: 'c-9s', unit: 'u-syd', name: '9S' },
  ].filter((c) => students[c.id]);
  const staff: Record<string, string[]> = {
    't-kim': ['c-7n', 'k-7n'],
    't-siv': ['c-8s', 'k-8s', 'c-9s'],
    ...teachers,
  };
  const inSource = new Set(classes.flatMap((c) => [c.id, `k-${c.id.slice(2)}`]));
  return {
    persons: [
      ...Object.keys(staff).map((id) => ({
        sourcedId: id,
        givenName: id,
        familyName: 'Lärare',
        roles: ['teacher' as const],
      })),
      ...Object.values(students)
        .flat()
        .map((id) => ({ sourcedId: id, givenName: id, familyName: 'Elev', roles: ['student' as const] })),
    ],
    units: [
      { sourcedId: 'u-norr', name: 'Norrskolan' },
      { sourcedId: 'u-syd', name: 'Södra skolan' },
    ],
    groups: classes.flatMap((c) => [
      { sourcedId: c.id, kind: 'class' as const, name: c.name, parentId: c.unit },
      { sourcedId: `k-${c.id.slice(2)}`, kind: 'course' as const, name: `Ma ${c.name}`, parentId: c.id },
    ]),
    memberships: [
      ...Object.entries(staff).flatMap(([personId, groups]) =>
        groups
          .filter((g) => inSource.has(g))
          .map((groupId) => ({ groupId, personId, role: 'Instructor' as const })),
      ),
      ...classes.flatMap((c) =>
        (students[c.id] ?? []).map((personId) => ({ groupId: c.id, personId, role: 'Learner' as const })),
      ),
    ],
  };
}

const plainClient = (): Client =>
  new Client({
    connection: env.connection,
    namespace: env.namespace,
    dataConverter: dataConverter(testCodec()),
  });

/** A year-end worker for one integration over `source`, and a start of its roster run for a day. */
async function integrationOver(
  integrationId: string,
  source: ReturnType<typeof changingSource>,
  queue: string,
) {
  const taskQueue = uniqueTaskQueue(queue);
  const worker = await yearEndWorker({
    connection: env.nativeConnection,
    taskQueue,
    itslearning,
    smtp,
    storeDir,
    thresholds: strict,
    source,
  });
  const run = (syncDate: string) =>
    plainClient().workflow.start(rosterSyncWorkflow, {
      taskQueue,
      workflowId: `roster-sync:${integrationId}-${syncDate}`,
      args: [{ integrationId, syncDate }],
    });
  return { taskQueue, worker, run };
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never: ${what}`);
}

it('[IMSE-6] the summer report: when the closing run has applied, the window e-mails per school what the summer created, archived and deleted, and what the partial approval still holds', async () => {
  const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
  const day = (mmdd: string) => `${year}-${mmdd}`;
  const integrationId = 'two-schools';
  const source = changingSource(twoSchools({ 'c-7n': ['n1', 'n2'], 'c-8s': ['s1', 's2'], 'c-9s': ['s3'] }));
  const { taskQueue, worker, run } = await integrationOver(integrationId, source, 'summer-report');

  await worker.runUntil(async () => {
    // Before the window: not in the report.
    expect((await (await run(day('06-01'))).result()).phase).toBe('applied');
    const window = await env.client.workflow.start(delayDeleteWindowWorkflow, {
      taskQueue,
      workflowId: delayDeleteWorkflowId(integrationId),
      args: [{ integrationId, startDate: day('06-13'), endDate: day('08-15'), reason: 'summer 2 schools' }],
    });
    const windowStatus = () =>
      plainClient().workflow.getHandle(window.workflowId).query(delayDeleteStatusQuery);

    // June: n2 leaves Norrskolan and n3 arrives; class 9S (and course Ma 9S) leaves Södra skolan with s3.
    source.roster = twoSchools({ 'c-7n': ['n1', 'n3'], 'c-8s': ['s1', 's2'] });
    expect((await (await run(day('06-20'))).result()).summary?.totals).toMatchObject({
      create: 2,
      delete: 0,
    });
    // July: Ola teaches in both schools; s4 arrives in 8S.
    source.roster = twoSchools(
      { 'c-7n': ['n1', 'n3'], 'c-8s': ['s1', 's2', 's4'] },
      { 't-ola': ['c-7n', 'c-8s'] },
    );
    expect((await (await run(day('07-10'))).result()).summary?.totals).toMatchObject({
      create: 5,
      delete: 0,
    });

    // Mid-summer, what the CLI's `year-end report` prints: the creates so far, nothing deleted yet.
    const soFar = await summerReportSoFar(
      createLocalStore(storeDir),
      await windowStatus(),
      window.workflowId,
    );
    expect(soFar.runs).toBe(2);
    expect(soFar.text).toMatch(/^Norrskolan\s+4\s+0\s+0\s+0$/m);
    expect(soFar.text).toMatch(/^Södra skolan\s+4\s+0\s+0\s+0$/m);

    // The window closes by itself at its end date, then waits for the closing run.
    await env.sleep(startOfStockholmDay(day('08-15')).getTime() + 3_600_000 - (await env.currentTimeMs()));
    const closed = await until(windowStatus, (s) => s.report?.state === 'waiting-for-closing-run', 'closed');
    expect(closed.phase).toBe('closed');

    // The closing run stops at the filter (person deletes); the operator applies all but the persons.
    const closing = await run(day('08-16'));
    await waitForPhase(closing, 'awaiting-approval');
    await closing.executeUpdate(approveUpdate, {
      args: [{ operator: 'ops@school.test', hold: [{ entityType: 'person' }] }],
    });
    expect((await closing.result()).phase).toBe('applied');
    expect(heldInTarget(itslearning).persons).toEqual([
      'n1',
      'n2',
      'n3',
      's1',
      's2',
      's3',
      's4',
      't-kim',
      't-ola',
      't-siv',
    ]);

    const done = await window.result();
    expect(done.report).toMatchObject({
      state: 'sent',
      closingRun: { runWorkflowId: closing.workflowId, syncDate: day('08-16') },
      totals: { created: 7, archived: 1, deleted: 4, stillHeld: 2 },
      schools: 2,
    });
    const mail = await smtp.waitFor((m) => m.subject.includes('summer report'), 10_000);
    expect(mail.subject).toBe(
      `[roster sync] ${integrationId}: summer report ${day('06-13')} to ${day('08-15')}`,
    );
    // Counted by hand from the rosters above. Created: Norrskolan n3, Ola and their 7N memberships;
    // Södra skolan Ola, s4 and their 8S memberships (Ola in both, once in the total). Archived: Ma 9S.
    // Deleted: the 7N membership of n2; the 9S memberships of s3 and Siv, and class 9S.
    // Still held (the approval held persons): n2 in Norrskolan, s3 in Södra skolan.
    expect(mail.text).toMatch(/^Norrskolan\s+4\s+0\s+1\s+1$/m);
    expect(mail.text).toMatch(/^Södra skolan\s+4\s+1\s+3\s+1$/m);
    expect(mail.text).toMatch(/^Total\s+7\s+1\s+4\s+2$/m);
    expect(mail.text).toContain(`The closing run ${closing.workflowId} (${day('08-16')}) has applied`);
    expect(mail.text).toContain(`Window ${day('06-13')} to ${day('08-15')}, started by`);
  });
});

it('[IMSE-6] a closing run with nothing to do (every leaver came back) is the closing run too: the report goes out at once, with what the summer created', async () => {
  const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
  const day = (mmdd: string) => `${year}-${mmdd}`;
  const integrationId = 'quiet-summer';
  const source = changingSource(twoSchools({ 'c-7n': ['n1'], 'c-8s': ['s1'] }));
  const { taskQueue, worker, run } = await integrationOver(integrationId, source, 'summer-report-quiet');
  await worker.runUntil(async () => {
    await (await run(day('06-01'))).result();
    const window = await env.client.workflow.start(delayDeleteWindowWorkflow, {
      taskQueue,
      workflowId: delayDeleteWorkflowId(integrationId),
      args: [{ integrationId, startDate: day('06-13'), endDate: day('08-15') }],
    });
    // n1 leaves in June (held) and comes back in August; n2 arrives in 7N.
    source.roster = twoSchools({ 'c-7n': ['n2'], 'c-8s': ['s1'] });
    await (await run(day('06-20'))).result();
    const reportFile = path.join(storeDir, 'year-end', integrationId, `summer-report-${day('06-13')}.json`);
    const written = (await stat(reportFile)).mtimeMs;
    source.roster = twoSchools({ 'c-7n': ['n1', 'n2'], 'c-8s': ['s1'] });
    expect((await (await run(day('08-05'))).result()).phase).toBe('nothing-to-do');
    // A run that applies nothing still renews the counts' written-at time: the store's retention keeps them.
    expect((await stat(reportFile)).mtimeMs).toBeGreaterThan(written);
    await env.sleep(startOfStockholmDay(day('08-15')).getTime() + 3_600_000 - (await env.currentTimeMs()));
    await until(
      () => plainClient().workflow.getHandle(window.workflowId).query(delayDeleteStatusQuery),
      (s) => s.report?.state === 'waiting-for-closing-run',
      'closed',
    );
    const closing = await run(day('08-16'));
    expect((await closing.result()).phase).toBe('nothing-to-do');
    expect((await window.result()).report).toMatchObject({
      state: 'sent',
      closingRun: { runWorkflowId: closing.workflowId },
    });
    const mail = await smtp.waitFor((m) => m.subject.includes('summer report'), 10_000);
    // n2 and the 7N membership were created; n1's held removal never happened.
    expect(mail.text).toMatch(/^Norrskolan\s+2\s+0\s+0\s+0$/m);
    expect(mail.text).toMatch(/^Total\s+2\s+0\s+0\s+0$/m);
    expect(mail.text).not.toMatch(/^Södra skolan/m);
  });
});
