/**
 * Course and term archiving (IMSE-8, IMSE-9) through the roster-sync workflow on the time-skipping
 * server: each run reads a roster the test sets, plans, applies to the itslearning simulator over
 * HTTP and mails its status. Leave, return, leave again, un-archive by hand, and the school year's
 * term change.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Roster } from '../../../domain/roster';
import type { SmtpSink } from '../../../services/smtp-sink';
import type { ItslearningSimulator } from '../../../simulators/itslearning';
import { rosterSyncStatusQuery, rosterSyncWorkflow } from '../../../workflows/roster-sync';
import { rosterSyncWorker } from '../../support/roster-sync-harness';
import { useRosterSyncTestBed } from '../../support/roster-sync-test-bed';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../support/temporal';
import { smallRoster } from '../../unit/roster/roster-fixture';

let env: TestWorkflowEnvironment;
let itslearning: ItslearningSimulator;
let smtp: SmtpSink;
let storeDir: string;
useRosterSyncTestBed(createTimeSkippingEnv, (bed) => ({ env, itslearning, smtp, storeDir } = bed));

const SOURCE = 'procapita';
/** Class 7A and its course k-ma7a left; a new term replaced HT 2024 (the next school year). */
function nextYear(): Roster {
  const r = smallRoster();
  return {
    ...r,
    groups: [
      ...r.groups.filter((g) => g.sourcedId !== 'c-7a' && g.sourcedId !== 'k-ma7a' && g.kind !== 'term'),
      { sourcedId: 't-ht25', kind: 'term', name: 'HT 2025', start: '2025-08-18', end: '2026-01-16' },
    ],
    memberships: r.memberships.filter((m) => m.groupId !== 'c-7a' && m.groupId !== 'k-ma7a'),
  };
}
/** 7A and its course return, with Bo as a new participant. */
function returned(): Roster {
  const r = smallRoster();
  return { ...r, memberships: [...r.memberships, { groupId: 'k-ma7a', personId: 'p-bo', role: 'Learner' }] };
}

it('[IMSE-8][IMSE-9] through the workflow: a course is archived when its group leaves, re-attached but still archived when it returns, and left alone once un-archived by hand; the old term is archived', async () => {
  let roster = smallRoster();
  const taskQueue = uniqueTaskQueue('roster-sync');
  const worker = await rosterSyncWorker({
    connection: env.nativeConnection,
    taskQueue,
    itslearning,
    smtp,
    storeDir,
    // The filter's own rules are tested elsewhere; here every run goes through.
    thresholds: { enabled: false },
    rosterSource: { read: async () => ({ roster, report: {} }) },
  });
  const course = () => itslearning.state.findGroup({ source: SOURCE, id: 'k-ma7a' });
  const participants = () =>
    [...itslearning.state.memberships.values()]
      .filter((m) => m.groupId === course()?.id)
      .map((m) => `${itslearning.state.persons.get(m.personId)?.syncKey?.id}:${m.syncSource ?? 'manual'}`)
      .sort();
  let n = 0;
  const run = async (syncDate: string) => {
    const handle = await env.client.workflow.start(rosterSyncWorkflow, {
      taskQueue,
      workflowId: `roster-sync-archiving-${++n}-${Date.now()}`,
      args: [{ syncDate }],
    });
    const result = await handle.result();
    return { result, status: await handle.query(rosterSyncStatusQuery) };
  };

  await worker.runUntil(async () => {
    expect((await run('2024-08-20')).result.phase).toBe('applied');
    expect(course()).toMatchObject({ archived: false, detachedFromHierarchy: false });

    roster = nextYear();
    const leave = await run('2025-08-20');
    expect(leave.result.phase).toBe('applied');
    expect(leave.status.summary?.byType.course).toMatchObject({ delete: 0, archive: 1 });
    expect(leave.status.summary?.byType.term).toMatchObject({ create: 1, delete: 0, archive: 1 });
    expect(course()).toMatchObject({ archived: true, detachedFromHierarchy: true, parentId: null });
    expect(participants()).toEqual(['p-anna:manual', 'p-dan:manual']);
    expect(itslearning.state.findGroup({ source: SOURCE, id: 't-ht24' })).toMatchObject({ archived: true });
    const leaveMail = await smtp.waitFor(
      (m) => m.text.includes(leave.status.syncDate ?? '-') && m.subject.includes('applied'),
      10_000,
    );
    expect(leaveMail.text).toContain('course          0 / 0 / 0 / 0  (1 archived instead of deleted)');
    expect(leaveMail.text).toContain(
      'Course archiving: 1 course(s) whose group left the source are archived',
    );

    roster = returned();
    const back = await run('2025-09-01');
    expect(back.result.phase).toBe('applied');
    expect(course()).toMatchObject({
      archived: true,
      detachedFromHierarchy: false,
      parentId: itslearning.state.findGroup({ source: SOURCE, id: 'c-7a' })?.id,
    });
    expect(participants()).toEqual(['p-anna:manual', 'p-bo:procapita', 'p-dan:manual']);

    roster = nextYear();
    expect((await run('2025-10-01')).result.phase).toBe('applied');
    expect(course()).toMatchObject({ archived: true, detachedFromHierarchy: true });
    const unarchived = await fetch(`${itslearning.url}/__admin/groups/unarchive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ syncKey: { source: SOURCE, id: 'k-ma7a' } }),
    });
    expect(unarchived.status).toBe(200);
    const after = await run('2025-10-02');
    expect(after.result.phase).toBe('nothing-to-do');
    expect(course()).toMatchObject({ archived: false, detachedFromHierarchy: true });
    expect(participants()).toEqual(['p-anna:manual', 'p-bo:manual', 'p-dan:manual']);
  });
});
