/** Small row builders for the ProCapita rule tests: one active school, class and group by default. */
import {
  procapitaReaderConfigSchema,
  type ActivityRow,
  type ClassRow,
  type GroupRow,
  type ProcapitaReaderConfig,
  type ProcapitaReaderConfigInput,
  type ProcapitaRows,
  type SchoolRow,
  type StaffRow,
  type StudentRow,
} from '../../../domain/procapita';

export const SYNC = '2026-08-20';
export const SCHOOL = 'S1';

export function config(over: Partial<ProcapitaReaderConfigInput> = {}): ProcapitaReaderConfig {
  return procapitaReaderConfigSchema.parse({ schools: [{ schoolId: SCHOOL, schoolForm: 'GR' }], ...over });
}

export function school(over: Partial<SchoolRow> = {}): SchoolRow {
  return {
    schoolId: SCHOOL,
    schoolForm: 'GR',
    schoolName: 'Björkhagaskolan',
    startDate: '2000-07-01',
    endDate: '2099-06-30',
    ...over,
  };
}

export function student(over: Partial<StudentRow> = {}): StudentRow {
  return {
    studentId: 'stu-1',
    nationalId: '20120314-1237',
    firstName: 'Astrid',
    lastName: 'Lindqvist',
    email: 'astrid.lindqvist@elev.kommun.example',
    protectedIdentity: false,
    protectedAddress: false,
    deregistered: false,
    deceased: false,
    ...over,
  };
}

export function staffMember(over: Partial<StaffRow> = {}): StaffRow {
  return {
    staffId: 'staff-1',
    nationalId: '19800101-1231',
    firstName: 'Göran',
    lastName: 'Sjöberg',
    email: 'goran.sjoberg@kommun.example',
    protectedIdentity: false,
    protectedAddress: false,
    deceased: false,
    ...over,
  };
}

export function cls(over: Partial<ClassRow> = {}): ClassRow {
  return {
    classId: 'class-7a',
    schoolId: SCHOOL,
    className: '7A',
    startDate: '2026-08-18',
    endDate: '2027-06-12',
    ...over,
  };
}

export function group(over: Partial<GroupRow> = {}): GroupRow {
  return {
    groupId: 'group-1',
    schoolId: SCHOOL,
    groupName: 'Spanska 7',
    startDate: '2026-08-18',
    endDate: '2027-06-12',
    ...over,
  };
}

export function activity(over: Partial<ActivityRow> = {}): ActivityRow {
  return {
    activityId: 'act-1',
    schoolId: SCHOOL,
    activityName: 'Matematik 7A',
    otherText: 'PORTAL',
    startDate: '2026-08-18',
    endDate: '2027-06-12',
    ...over,
  };
}

/**
 * One active school with class 7A (teacher staff-1, student stu-1 placed from the class start) and
 * activity act-1 on 7A taught by staff-1. Override any row set.
 */
export function rows(over: Partial<ProcapitaRows> = {}): ProcapitaRows {
  return {
    schools: [school()],
    students: [student()],
    classPlacements: [{ studentId: 'stu-1', classId: 'class-7a', startDate: '2026-08-18', endDate: null }],
    staff: [staffMember()],
    employments: [{ staffId: 'staff-1', schoolId: SCHOOL, endDate: null }],
    classes: [cls()],
    classTeachers: [{ classId: 'class-7a', staffId: 'staff-1' }],
    groups: [],
    groupMembers: [],
    activities: [activity()],
    activityLinks: [{ activityId: 'act-1', classId: 'class-7a', groupId: null }],
    activityStaff: [{ activityId: 'act-1', staffId: 'staff-1' }],
    ...over,
  };
}
