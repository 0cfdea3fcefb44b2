import { buildExport, type ProcapitaRows, type StudentRow } from '../../../domain/procapita';
import { cls, config, rows, student, SYNC } from './builders';

const placement = (startDate: string | null, endDate: string | null): ProcapitaRows['classPlacements'] => [
  { studentId: 'stu-1', classId: 'class-7a', startDate, endDate },
];
const exportedIds = (r: ProcapitaRows) => buildExport(r, config(), SYNC).export.students.map((s) => s.id);

describe('[PC-3] students', () => {
  it('[PC-3] a student with an active placement at a configured school is exported', () => {
    expect(exportedIds(rows())).toEqual(['stu-1']);
    expect(buildExport(rows(), config(), SYNC).export.students[0]?.schoolIds).toEqual(['S1']);
  });

  it.each([
    ['starts today', SYNC, null, true],
    ['started last year, no end', '2025-08-18', null, true],
    ['starts tomorrow (students are added the day before)', '2026-08-21', null, true],
    ['starts in two days', '2026-08-22', null, false],
    ['ends today', '2025-08-18', SYNC, true],
    ['ended yesterday', '2025-08-18', '2026-08-19', false],
    ['has no start date', null, null, false],
  ])('[PC-3] a placement that %s: exported %s', (_what, start, end, expected) => {
    expect(exportedIds(rows({ classPlacements: placement(start, end) }))).toEqual(expected ? ['stu-1'] : []);
  });

  it('[PC-3] a placement in a class of a school that is not configured does not count', () => {
    const r = rows({ classes: [cls({ schoolId: 'S9' })] });
    const result = buildExport(r, config(), SYNC);
    expect(result.export.students).toEqual([]);
    expect(result.summary.excluded.students.noActivePlacement).toBe(1);
  });

  it.each<[keyof StudentRow, string]>([
    ['protectedIdentity', 'protectedIdentity'],
    ['protectedAddress', 'protectedAddress'],
    ['deregistered', 'deregistered'],
    ['deceased', 'deceased'],
  ])('[PC-3] a student marked %s is not exported and is counted under that reason', (flag, reason) => {
    const result = buildExport(rows({ students: [student({ [flag]: true })] }), config(), SYNC);
    expect(result.export.students).toEqual([]);
    expect(result.summary.excluded.students).toMatchObject({ [reason]: 1 });
    expect(result.summary.counts.students).toBe(0);
  });

  it('[PC-3] a student with protected identity is in no output: not the export, not the summary', () => {
    const hidden = student({
      studentId: 'b7d3c1e2-0000-4000-8000-00000000abcd',
      nationalId: '20120314-1237',
      firstName: 'Ingalill',
      lastName: 'Hemligsson',
      email: 'ingalill.hemligsson@elev.kommun.example',
      protectedIdentity: true,
    });
    const r = rows({
      students: [student({ studentId: 'stu-2', nationalId: null }), hidden],
      classPlacements: [
        { studentId: 'stu-2', classId: 'class-7a', startDate: '2026-08-18', endDate: null },
        { studentId: hidden.studentId, classId: 'class-7a', startDate: '2026-08-18', endDate: null },
      ],
      groups: [
        {
          groupId: 'g1',
          schoolId: 'S1',
          groupName: 'Spanska',
          startDate: '2026-08-18',
          endDate: '2027-06-12',
        },
      ],
      groupMembers: [{ groupId: 'g1', studentId: hidden.studentId, startDate: '2026-08-18', endDate: null }],
      activityLinks: [
        { activityId: 'act-1', classId: 'class-7a', groupId: null },
        { activityId: 'act-1', classId: null, groupId: 'g1' },
      ],
    });
    const everything = JSON.stringify(buildExport(r, config({ includeNationalId: true }), SYNC));
    for (const secret of ['b7d3c1e2', 'abcd', '20120314', 'Ingalill', 'Hemligsson']) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).toContain('stu-2');
    expect(JSON.parse(everything).summary.excluded.students.protectedIdentity).toBe(1);
  });

  it('[PC-3] a student excluded for several reasons is counted once, under the first', () => {
    const result = buildExport(
      rows({ students: [student({ protectedIdentity: true, deceased: true })] }),
      config(),
      SYNC,
    );
    const counts = result.summary.excluded.students;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
    expect(counts.protectedIdentity).toBe(1);
  });

  it('[PC-3] a student whose names the database masked is never exported, even without a flag', () => {
    const result = buildExport(rows({ students: [student({ firstName: null })] }), config(), SYNC);
    expect(result.export.students).toEqual([]);
    expect(result.summary.excluded.students.missingName).toBe(1);
  });
});
