import { addDays, buildExport, classExclusion, type ProcapitaRows } from '../../../domain/procapita';
import { cls, config, rows, staffMember, SYNC } from './builders';

/** Class 7A starting `daysAhead` days after the sync date, with its students placed from the start. */
function startingIn(daysAhead: number): ProcapitaRows {
  const start = addDays(SYNC, daysAhead);
  return rows({
    classes: [cls({ startDate: start, endDate: '2027-06-12' })],
    classPlacements: [{ studentId: 'stu-1', classId: 'class-7a', startDate: start, endDate: null }],
  });
}
const classMembers = (r: ProcapitaRows) =>
  buildExport(r, config(), SYNC)
    .export.memberships.filter((m) => m.container === 'class')
    .map((m) => `${m.role}:${m.personId}`);

describe('[PC-5] classes', () => {
  it('[PC-5] an active class with a teacher is exported with its teacher and students', () => {
    const result = buildExport(rows(), config(), SYNC);
    expect(result.export.classes).toEqual([
      expect.objectContaining({ id: 'class-7a', schoolId: 'S1', studentsIncluded: true }),
    ]);
    expect(classMembers(rows())).toEqual(['teacher:staff-1', 'student:stu-1']);
  });

  it.each([
    [0, 'starts today', ['teacher:staff-1', 'student:stu-1']],
    [1, 'starts tomorrow: students added the day before', ['teacher:staff-1', 'student:stu-1']],
    [2, 'starts in two days: teachers only', ['teacher:staff-1']],
    [14, 'starts in 14 days: appears with teachers', ['teacher:staff-1']],
    [15, 'starts in 15 days: not yet', []],
  ])('[PC-5] a class starting in %i days (%s)', (days, _what, expected) => {
    expect(classMembers(startingIn(days))).toEqual(expected);
  });

  it('[PC-5] during the lead days the class is marked as having no students yet', () => {
    expect(buildExport(startingIn(14), config(), SYNC).export.classes[0]?.studentsIncluded).toBe(false);
  });

  it('[PC-5] a class ending today is exported, one that ended yesterday is not', () => {
    expect(classExclusion(cls({ endDate: SYNC }), new Set(['S1']), 1, SYNC)).toBeNull();
    expect(classExclusion(cls({ endDate: '2026-08-19' }), new Set(['S1']), 1, SYNC)).toBe('ended');
  });

  it('[PC-5] start and end dates must both be set', () => {
    expect(classExclusion(cls({ startDate: null }), new Set(['S1']), 1, SYNC)).toBe('missingDates');
    expect(classExclusion(cls({ endDate: null }), new Set(['S1']), 1, SYNC)).toBe('missingDates');
  });

  it('[PC-5] a class at a school that is not configured is not exported', () => {
    const result = buildExport(rows({ classes: [cls({ schoolId: 'S9' })] }), config(), SYNC);
    expect(result.export.classes).toEqual([]);
    expect(result.summary.excluded.classes.schoolNotExported).toBe(1);
  });

  it('[PC-5] a class without a teacher is not exported, though its students are', () => {
    const result = buildExport(rows({ classTeachers: [] }), config(), SYNC);
    expect(result.export.classes).toEqual([]);
    expect(result.export.students.map((s) => s.id)).toEqual(['stu-1']);
    expect(result.summary.excluded.classes.noTeacher).toBe(1);
  });

  it('[PC-5] a teacher who is not exported (protected identity) does not count as a teacher', () => {
    const result = buildExport(rows({ staff: [staffMember({ protectedIdentity: true })] }), config(), SYNC);
    expect(result.export.classes).toEqual([]);
    expect(result.summary.excluded.classes.noTeacher).toBe(1);
  });

  it('[PC-5] a student whose placement in the class has ended is not a member', () => {
    const r = rows({
      classPlacements: [
        { studentId: 'stu-1', classId: 'class-7a', startDate: '2025-08-18', endDate: '2026-08-19' },
        { studentId: 'stu-1', classId: 'class-7b', startDate: '2026-08-18', endDate: null },
      ],
      classes: [cls(), cls({ classId: 'class-7b', className: '7B' })],
      classTeachers: [
        { classId: 'class-7a', staffId: 'staff-1' },
        { classId: 'class-7b', staffId: 'staff-1' },
      ],
    });
    const members = buildExport(r, config(), SYNC).export.memberships.filter((m) => m.role === 'student');
    expect(members.filter((m) => m.container === 'class').map((m) => m.containerId)).toEqual(['class-7b']);
  });
});
