import { addDays, buildExport, isMarkedTeachingGroup, type ProcapitaRows } from '../../../domain/procapita';
import { activity, cls, config, group, rows, student, SYNC } from './builders';

const portal = { kind: 'other-contains', text: 'PORTAL' } as const;
const groupIds = (r: ProcapitaRows, c = config()) =>
  buildExport(r, c, SYNC).export.teachingGroups.map((g) => g.id);
const groupMembers = (r: ProcapitaRows) =>
  buildExport(r, config(), SYNC)
    .export.memberships.filter((m) => m.container === 'teaching-group')
    .map((m) => `${m.role}:${m.personId}`);

describe('[PC-6] teaching groups (activities)', () => {
  it("[PC-6] a marked activity on an active class, with a teacher, is exported with teacher and the class's students", () => {
    expect(groupIds(rows())).toEqual(['act-1']);
    expect(groupMembers(rows())).toEqual(['teacher:staff-1', 'student:stu-1']);
  });

  it('[PC-6] the "other" field must contain PORTAL, anywhere, in capitals', () => {
    expect(isMarkedTeachingGroup({ otherText: 'PORTAL', activityName: 'x' }, portal)).toBe(true);
    expect(isMarkedTeachingGroup({ otherText: 'Sal B12; PORTAL', activityName: 'x' }, portal)).toBe(true);
    expect(isMarkedTeachingGroup({ otherText: 'ej i portalen', activityName: 'x' }, portal)).toBe(false);
    expect(isMarkedTeachingGroup({ otherText: null, activityName: 'PORTAL' }, portal)).toBe(false);
    expect(groupIds(rows({ activities: [activity({ otherText: 'Portal' })] }))).toEqual([]);
  });

  it('[PC-6] with a configured suffix, the name decides and PORTAL alone is not enough', () => {
    const c = config({ teachingGroupMarker: { kind: 'name-suffix', text: ' Teams' } });
    expect(
      groupIds(rows({ activities: [activity({ activityName: 'Matematik 7A Teams', otherText: null })] }), c),
    ).toEqual(['act-1']);
    expect(
      groupIds(rows({ activities: [activity({ activityName: 'Matematik 7A', otherText: 'PORTAL' })] }), c),
    ).toEqual([]);
    expect(groupIds(rows({ activities: [activity({ activityName: 'Matematik 7ATeams' })] }), c)).toEqual([]);
  });

  it('[PC-6] with a configured prefix, the name must start with it', () => {
    const c = config({ teachingGroupMarker: { kind: 'name-prefix', text: 'T-' } });
    expect(
      groupIds(rows({ activities: [activity({ activityName: 'T-Matematik 7A', otherText: null })] }), c),
    ).toEqual(['act-1']);
    expect(groupIds(rows({ activities: [activity({ activityName: 'Matematik 7A T-' })] }), c)).toEqual([]);
  });

  it('[PC-6] an activity whose only class has ended has no active parent and is not exported', () => {
    const r = rows({ classes: [cls({ startDate: '2025-08-18', endDate: '2026-06-12' })] });
    const result = buildExport(r, config(), SYNC);
    expect(result.export.teachingGroups).toEqual([]);
    expect(result.summary.excluded.teachingGroups.noActiveParent).toBe(1);
  });

  it('[PC-6] a parent class at a school that is not configured does not count', () => {
    const r = rows({ classes: [cls({ schoolId: 'S9' })] });
    expect(groupIds(r)).toEqual([]);
  });

  it('[PC-6] the activity itself must belong to a configured school', () => {
    const result = buildExport(rows({ activities: [activity({ schoolId: 'S9' })] }), config(), SYNC);
    expect(result.export.teachingGroups).toEqual([]);
    expect(result.summary.excluded.teachingGroups.schoolNotExported).toBe(1);
  });

  it.each([
    ['blank', null, true],
    ['tomorrow', '2026-08-21', true],
    ['today', SYNC, false],
    ['yesterday', '2026-08-19', false],
  ])('[PC-6] an end date %s: exported %s (it must be later than the sync date)', (_what, end, expected) => {
    expect(groupIds(rows({ activities: [activity({ endDate: end })] }))).toEqual(expected ? ['act-1'] : []);
  });

  it.each([
    [0, ['teacher:staff-1', 'student:stu-1']],
    [1, ['teacher:staff-1', 'student:stu-1']],
    [2, ['teacher:staff-1']],
    [14, ['teacher:staff-1']],
    [15, []],
  ])('[PC-6] starting in %i days the group has members %j', (days, expected) => {
    const start = addDays(SYNC, days);
    const r = rows({
      classes: [cls({ startDate: start })],
      classPlacements: [{ studentId: 'stu-1', classId: 'class-7a', startDate: start, endDate: null }],
      activities: [activity({ startDate: start })],
    });
    expect(groupMembers(r)).toEqual(expected);
  });

  it('[PC-6] a blank start date counts as started', () => {
    expect(groupMembers(rows({ activities: [activity({ startDate: null, endDate: null })] }))).toEqual([
      'teacher:staff-1',
      'student:stu-1',
    ]);
  });

  it('[PC-6] without a teacher linked through the activity it is not exported', () => {
    const result = buildExport(rows({ activityStaff: [] }), config(), SYNC);
    expect(result.export.teachingGroups).toEqual([]);
    expect(result.summary.excluded.teachingGroups.noTeacher).toBe(1);
  });

  it('[PC-6] staff join through the activity, not through the parent class', () => {
    const r = rows({
      staff: [...rows().staff, { ...rows().staff[0]!, staffId: 'staff-2', firstName: 'Ann' }],
      employments: [...rows().employments, { staffId: 'staff-2', schoolId: 'S1', endDate: null }],
      activityStaff: [{ activityId: 'act-1', staffId: 'staff-2' }],
    });
    expect(groupMembers(r).filter((m) => m.startsWith('teacher'))).toEqual(['teacher:staff-2']);
  });

  it('[PC-6] students come from an active linked group, and only active parents are listed', () => {
    const r = rows({
      students: [student(), student({ studentId: 'stu-2' })],
      groups: [group(), group({ groupId: 'group-old', endDate: '2026-06-12', startDate: '2025-08-18' })],
      groupMembers: [
        { groupId: 'group-1', studentId: 'stu-2', startDate: '2026-08-18', endDate: null },
        { groupId: 'group-old', studentId: 'stu-1', startDate: '2025-08-18', endDate: null },
      ],
      classPlacements: [
        { studentId: 'stu-1', classId: 'class-7a', startDate: '2026-08-18', endDate: null },
        { studentId: 'stu-2', classId: 'class-7a', startDate: '2026-08-18', endDate: null },
      ],
      activityLinks: [
        { activityId: 'act-1', classId: null, groupId: 'group-1' },
        { activityId: 'act-1', classId: null, groupId: 'group-old' },
      ],
    });
    const result = buildExport(r, config(), SYNC);
    expect(result.export.teachingGroups[0]).toMatchObject({ groupIds: ['group-1'], classIds: [] });
    expect(groupMembers(r)).toEqual(['teacher:staff-1', 'student:stu-2']);
  });

  it('[PC-6] an activity whose parent class starts within 14 days is exported with teachers only', () => {
    const start = addDays(SYNC, 10);
    const r = rows({ classes: [cls({ startDate: start })], activities: [activity({ startDate: start })] });
    expect(groupIds(r)).toEqual(['act-1']);
    expect(buildExport(r, config(), SYNC).export.teachingGroups[0]?.studentsIncluded).toBe(false);
  });
});
