import {
  buildSummerReport,
  delayDeleteCurrentDetails,
  reportFigures,
  schoolAttribution,
  stillHeldOperations,
  summerReportEmail,
  summerRun,
  withRun,
  UNKNOWN_SCHOOL,
  type DelayDeleteStatus,
  type Hierarchy,
  type SummerReportDocument,
} from '../../../domain/roster-sync';
import type { Operation, SyncPlan } from '../../../domain/roster';

const source: Hierarchy = {
  units: [
    { sourcedId: 'u-norr', name: 'Norrskolan' },
    { sourcedId: 'u-syd', name: 'Södra skolan' },
  ],
  groups: [
    { sourcedId: 'c-n7', parentId: 'u-norr' },
    { sourcedId: 'k-n7', parentId: 'c-n7' },
    { sourcedId: 'c-s8', parentId: 'u-syd' },
  ],
  memberships: [
    { groupId: 'c-n7', personId: 'p-both' },
    { groupId: 'c-s8', personId: 'p-both' },
    { groupId: 'k-n7', personId: 'p-norr' },
  ],
};
// What left the source: only the target still knows where it hung.
const target: Hierarchy = {
  units: [{ sourcedId: 'u-syd', name: 'Old name, ignored' }],
  groups: [
    { sourcedId: 'c-s9', parentId: 'u-syd' },
    { sourcedId: 'k-s9', parentId: 'c-s9' },
  ],
  memberships: [{ groupId: 'c-s9', personId: 'p-gone' }],
};

const person = (id: string, op: Operation['op'] = 'create'): Operation => ({
  entityType: 'person',
  op,
  record: { sourcedId: id, givenName: id, familyName: 'X', roles: ['student'] },
});
const member = (groupId: string, personId: string, op: Operation['op'] = 'create'): Operation => ({
  entityType: 'membership',
  op,
  record: { groupId, personId, role: 'Learner' },
});
const course = (id: string, parentId: string | undefined, op: Operation['op']): Operation => ({
  entityType: 'course',
  op,
  record: { sourcedId: id, kind: 'course', name: id, ...(parentId ? { parentId } : {}) },
});
const plan = (operations: Operation[], held: Operation[] = []): SyncPlan => ({
  planId: 'p',
  syncKeySource: 'procapita',
  asOf: '2027-08-16',
  operations,
  held: held.map((operation) => ({ operation, reason: 'x' })),
  skipped: [],
  notes: [],
});

describe('the summer report of a delay-delete window', () => {
  it('[IMSE-6] attributes each operation to its school through the hierarchy: group -> unit, course -> group -> unit, person -> all their schools, else unknown', () => {
    const ops = [
      person('p-both'),
      person('p-norr'),
      person('p-gone', 'delete'),
      person('p-nowhere'),
      member('k-n7', 'p-norr'),
      member('c-s9', 'p-gone', 'delete'),
      course('k-s9', 'c-s9', 'archive'),
      course('k-loose', undefined, 'archive'),
      { entityType: 'unit', op: 'update', record: { sourcedId: 'u-syd', name: 'Södra skolan' } } as Operation,
    ];
    const a = schoolAttribution([source, target], ops);
    expect(ops.map((o) => a.schoolsOf(o))).toEqual([
      ['u-norr', 'u-syd'],
      ['u-norr'],
      ['u-syd'],
      [UNKNOWN_SCHOOL],
      ['u-norr'],
      ['u-syd'],
      ['u-syd'],
      [UNKNOWN_SCHOOL],
      ['u-syd'],
    ]);
    // The source names a school; the target only fills in what the source lacks.
    expect(a.names).toEqual({ 'u-norr': 'Norrskolan', 'u-syd': 'Södra skolan' });
  });

  it('[IMSE-6] still held after a partial approval: the removals of the full plan not applied, and what a policy held', () => {
    const full = plan(
      [member('c-s9', 'p-gone', 'delete'), course('k-s9', 'c-s9', 'archive'), person('p-gone', 'delete')],
      [person('p-later', 'delete'), person('p-new')],
    );
    const applied = plan([member('c-s9', 'p-gone', 'delete'), course('k-s9', 'c-s9', 'archive')]);
    expect(stillHeldOperations(full, applied)).toEqual([
      person('p-gone', 'delete'),
      person('p-later', 'delete'),
    ]);
  });

  it('[IMSE-6] sums the runs per school (a person in two schools counts in each, once in the total), replaces a run recorded twice, and writes the table', () => {
    const ops1 = [person('p-both'), member('c-n7', 'p-both'), member('c-s8', 'p-both')];
    const ops2 = [member('c-s9', 'p-gone', 'delete'), course('k-s9', 'c-s9', 'archive')];
    const held = [person('p-gone', 'delete')];
    const a = schoolAttribution([source, target], [...ops1, ...ops2, ...held]);
    let doc: SummerReportDocument = {
      integrationId: 'i',
      window: { start: '2027-06-13', end: '2027-08-15' },
      schools: {},
      runs: {},
    };
    const june = summerRun({
      runWorkflowId: 'w1',
      syncDate: '2027-06-20',
      closing: false,
      applied: ops1,
      attribution: a,
    });
    doc = withRun(doc, 'run-1', june, a.names);
    doc = withRun(doc, 'run-1', june, a.names); // a retried activity
    doc = withRun(
      doc,
      'run-2',
      summerRun({
        runWorkflowId: 'w2',
        syncDate: '2027-08-16',
        closing: true,
        applied: ops2,
        stillHeld: held,
        attribution: a,
      }),
      a.names,
    );
    const report = buildSummerReport(doc);
    expect(report.runs).toBe(2);
    expect(report.closingRun).toEqual({ runWorkflowId: 'w2', syncDate: '2027-08-16' });
    expect(report.rows.map(({ byType: _, ...r }) => r)).toEqual([
      {
        schoolId: 'u-norr',
        school: 'Norrskolan',
        created: 2,
        updated: 0,
        archived: 0,
        deleted: 0,
        stillHeld: 0,
      },
      {
        schoolId: 'u-syd',
        school: 'Södra skolan',
        created: 2,
        updated: 0,
        archived: 1,
        deleted: 1,
        stillHeld: 1,
      },
    ]);
    expect(report.totals).toMatchObject({ created: 3, archived: 1, deleted: 1, stillHeld: 1 });
    expect(report.rows[1]?.byType.person).toEqual({
      created: 1,
      updated: 0,
      archived: 0,
      deleted: 0,
      stillHeld: 1,
    });

    const status: DelayDeleteStatus = {
      phase: 'closed',
      integrationId: 'i',
      start: '2027-06-13',
      end: '2027-08-15',
      reason: 'summer',
      startedBy: 'ops@school',
      endChanges: [
        {
          operator: 'rektor@school',
          identity: 'web-ui',
          at: '2027-07-01T10:00:00Z',
          from: '2027-08-10',
          to: '2027-08-15',
        },
      ],
      held: null,
      lastPreview: null,
      closedAt: '2027-08-15T00:00:00Z',
      howToList: 'npm run client -- year-end held i',
    };
    const mail = summerReportEmail(report, status, 'delay-delete:i');
    expect(mail.subject).toBe('[roster sync] i: summer report 2027-06-13 to 2027-08-15');
    expect(mail.text).toContain('started by ops@school: summer');
    expect(mail.text).toContain('End date changed from 2027-08-10 to 2027-08-15 by rektor@school');
    expect(mail.text).toMatch(/^Norrskolan\s+2\s+0\s+0\s+0$/m);
    expect(mail.text).toMatch(/^Södra skolan\s+2\s+1\s+1\s+1$/m);
    expect(mail.text).toMatch(/^Total\s+3\s+1\s+1\s+1$/m);

    const none = summerReportEmail({ ...report, closingRun: null }, status, 'delay-delete:i');
    expect(none.subject).toContain('closing run NOT applied');
    expect(none.text).toContain('NO closing run has applied yet');
    // Mid-summer (the CLI's `year-end report`): the window is open, nothing closed yet.
    const open = summerReportEmail(
      { ...report, closingRun: null },
      { ...status, phase: 'open', closedAt: null },
      'w',
    );
    expect(open.text).toContain(
      'The window is open: what it holds is deleted by the closing run after 2027-08-15',
    );
    expect(open.text).not.toContain('closed at');

    // The window's current details follow the report.
    const waitUntil = '2027-09-14T00:00:00Z';
    expect(
      delayDeleteCurrentDetails({
        ...status,
        report: { state: 'waiting-for-closing-run', waitUntil, closingRun: null },
      }),
    ).toContain(`Summer report: e-mailed when the closing run has applied (at the latest ${waitUntil}).`);
    expect(
      delayDeleteCurrentDetails({
        ...status,
        report: {
          state: 'sent',
          waitUntil,
          closingRun: { runWorkflowId: 'w2', syncDate: '2027-08-16' },
          sentAt: '2027-08-16T08:00:00Z',
          totals: reportFigures(report),
          schools: 2,
        },
      }),
    ).toContain(
      'Summer report e-mailed at 2027-08-16T08:00:00Z after the closing run w2 applied: 3 created, 1 archived, 1 deleted, 1 still held, over 2 schools.',
    );
  });
});
