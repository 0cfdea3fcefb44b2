import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { procapitaRowsSchema } from '../../../domain/procapita';
import { generateProcapitaRows } from '../../../domain/procapita/generator';
import { normalizeProcapitaRows } from '../../../domain/procapita/rows-fast';

const empty = {
  schools: [],
  students: [],
  classPlacements: [],
  staff: [],
  employments: [],
  classes: [],
  classTeachers: [],
  groups: [],
  groupMembers: [],
  activities: [],
  activityLinks: [],
  activityStaff: [],
};

describe('the fast path for ProCapita rows', () => {
  it('[PC-1] gives exactly what the schema gives for the committed and a generated fixture', () => {
    const committed: unknown = JSON.parse(
      readFileSync(join(__dirname, '../../fixtures/procapita/small.json'), 'utf8'),
    );
    const generated = generateProcapitaRows({
      seed: 'rows-fast',
      students: 200,
      staff: 20,
      classes: 8,
      teachingGroups: 20,
      syncDate: '2026-09-15',
    }).rows;
    for (const data of [committed, generated]) {
      // The schema reads a copy: the fast path normalizes rows where they are.
      const bySchema = JSON.stringify(procapitaRowsSchema.parse(structuredClone(data)));
      const fast = normalizeProcapitaRows(data);
      expect(fast).not.toBeNull();
      // Same values and the same key order, so that everything serialized from it is the same.
      expect(JSON.stringify(fast)).toBe(bySchema);
    }
  });

  it('[PC-1] normalizes what mssql and JSON give (numbers, Dates, 0/1, blanks, date-times) as the schema does', () => {
    const data = {
      ...empty,
      schools: [
        { schoolId: 7, schoolForm: ' GR ', schoolName: '  ', startDate: new Date('2026-08-01T00:00:00Z') },
      ],
      students: [
        {
          studentId: ' s1 ',
          nationalId: null,
          firstName: ' Ada ',
          lastName: 'L',
          protectedIdentity: 1,
          protectedAddress: 0,
          deregistered: null,
          extra: 'dropped',
        },
      ],
      classPlacements: [
        { studentId: 's1', classId: 'c1', startDate: '2026-08-01T10:00:00+02:00', endDate: null },
      ],
      activities: [
        { activityId: 'a', schoolId: '7', otherText: '  PORTAL ', startDate: '2026-08-01T00:00:00' },
      ],
      activityLinks: [{ activityId: 'a', classId: 'c1' }],
    };
    const bySchema = JSON.stringify(procapitaRowsSchema.parse(data));
    expect(JSON.stringify(normalizeProcapitaRows(data))).toBe(bySchema);
  });

  it('[PC-1] normalizes rows in their own order where they are, and copies rows in another order or with other fields', () => {
    const inOrder = {
      studentId: 's1',
      classId: ' c1 ',
      startDate: '2026-08-01T10:00:00+02:00',
      endDate: null,
    };
    const otherOrder = { classId: 'c2', studentId: 's2', startDate: '2026-08-01', endDate: null };
    const rows = normalizeProcapitaRows({ ...empty, classPlacements: [inOrder, otherOrder] });
    expect(rows?.classPlacements[0]).toBe(inOrder);
    expect(inOrder).toEqual({ studentId: 's1', classId: 'c1', startDate: '2026-08-01', endDate: null });
    expect(rows?.classPlacements[1]).not.toBe(otherOrder);
    expect(Object.keys(rows?.classPlacements[1] ?? {})).toEqual([
      'studentId',
      'classId',
      'startDate',
      'endDate',
    ]);
  });

  it.each([
    ['a blank id', { schools: [{ schoolId: '  ', schoolForm: 'GR' }] }],
    ['an impossible date', { classes: [{ classId: 'c', schoolId: 's', startDate: '2026-02-30' }] }],
    ['a flag of 2', { staff: [{ staffId: 'x', protectedIdentity: 2 }] }],
    ['a link with both parents', { activityLinks: [{ activityId: 'a', classId: 'c', groupId: 'g' }] }],
    ['a missing row set', { schools: undefined }],
    ['a row that is not an object', { classTeachers: ['c1'] }],
  ])('[PC-1] leaves %s to the schema, which rejects it', (_, change) => {
    const data = { ...empty, ...change };
    expect(normalizeProcapitaRows(data)).toBeNull();
    expect(procapitaRowsSchema.safeParse(data).success).toBe(false);
  });
});
