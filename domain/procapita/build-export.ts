import type { ProcapitaReaderConfig } from './config';
import { zeroCounts } from './counts';
import type { CalendarDate } from './dates';
import { emptyEmailMapping, type EmailMapping } from './email-mapping';
import type { ExportedSchool, Membership, ProcapitaExport, ProcapitaSummary } from './export';
import { MultiMap } from './multimap';
import type { ProcapitaRows } from './rows';
import { schoolExclusion, schoolExclusionReasons } from './school';
import { selectClasses } from './select-classes';
import { selectPersons } from './select-persons';
import { selectTeachingGroups } from './select-teaching-groups';
import { isActiveEmployment, staffExclusion, staffExclusionReasons } from './staff';
import { isPlacementAtExportedSchool, studentExclusion, studentExclusionReasons } from './student';
import { isActiveParent } from './teaching-group';
import { isActivePlacement } from './windows';

export interface ProcapitaExportResult {
  export: ProcapitaExport;
  summary: ProcapitaSummary;
  /** Problems in ProCapita's data an operator should fix there, e.g. two school rows with one id. */
  warnings: string[];
}

/**
 * ProCapita should hold one row per school id. When it holds more, the first row that is exported
 * is used (as before) and the duplicate is reported, never silently dropped.
 */
function duplicateSchoolWarnings(rows: ProcapitaRows, exported: readonly ExportedSchool[]): string[] {
  const byId = new Map<string, ProcapitaRows['schools']>();
  for (const school of rows.schools)
    byId.set(school.schoolId, [...(byId.get(school.schoolId) ?? []), school]);
  const warnings: string[] = [];
  for (const [id, same] of byId) {
    if (same.length < 2) continue;
    const used = exported.find((s) => s.id === id);
    const described = same.map((s) => `form ${s.schoolForm} "${s.schoolName ?? ''}"`).join(', ');
    warnings.push(
      `ProCapita has ${same.length} school rows with id ${id} (${described}): ` +
        (used ? `the first exported one (form ${used.schoolForm}) is used` : 'none of them is exported') +
        '; fix the duplicate in ProCapita.',
    );
  }
  return warnings;
}

function selectSchools(rows: ProcapitaRows, config: ProcapitaReaderConfig, syncDate: CalendarDate) {
  const schools: ExportedSchool[] = [];
  const excluded = zeroCounts(schoolExclusionReasons);
  const ids = new Set<string>();
  for (const school of rows.schools) {
    if (ids.has(school.schoolId)) continue;
    const reason = schoolExclusion(school, config.schools, syncDate);
    if (reason !== null) {
      excluded[reason] += 1;
      continue;
    }
    ids.add(school.schoolId);
    schools.push({ id: school.schoolId, name: school.schoolName, schoolForm: school.schoolForm });
  }
  return { schools, ids, excluded };
}

/**
 * The ProCapita export for one sync date (a Stockholm calendar date): every rule of PC-2..PC-8 over
 * the rows read from the database or a fixture. Pure: the same rows, configuration, date and mapping
 * always give the same result.
 */
export function buildExport(
  rows: ProcapitaRows,
  config: ProcapitaReaderConfig,
  syncDate: CalendarDate,
  emailMapping: EmailMapping = emptyEmailMapping,
): ProcapitaExportResult {
  const schools = selectSchools(rows, config, syncDate);
  const classSchool = new Map(rows.classes.map((c) => [c.classId, c.schoolId]));

  const studentSchools = new MultiMap<string, string>();
  for (const p of rows.classPlacements) {
    const schoolId = classSchool.get(p.classId);
    if (isPlacementAtExportedSchool(p, schoolId, schools.ids, syncDate))
      studentSchools.add(p.studentId, schoolId!);
  }
  const students = selectPersons(
    rows.students,
    (s) => s.studentId,
    studentExclusionReasons,
    (s) => studentExclusion(s, studentSchools.get(s.studentId).size > 0),
    (id) => [...studentSchools.get(id)],
    config,
    emailMapping,
  );

  const staffSchools = new MultiMap<string, string>();
  for (const e of rows.employments) {
    if (isActiveEmployment(e, schools.ids, syncDate)) staffSchools.add(e.staffId, e.schoolId);
  }
  const staff = selectPersons(
    rows.staff,
    (s) => s.staffId,
    staffExclusionReasons,
    (s) => staffExclusion(s, staffSchools.get(s.staffId).size > 0),
    (id) => [...staffSchools.get(id)],
    config,
    emailMapping,
  );

  const studentsByClass = new MultiMap<string, string>();
  for (const p of rows.classPlacements) {
    if (students.ids.has(p.studentId) && isActivePlacement(p, syncDate))
      studentsByClass.add(p.classId, p.studentId);
  }
  const teachersByClass = new MultiMap<string, string>();
  for (const t of rows.classTeachers) if (staff.ids.has(t.staffId)) teachersByClass.add(t.classId, t.staffId);
  const classes = selectClasses(rows.classes, schools.ids, teachersByClass, studentsByClass, syncDate);

  const activeClassIds = new Set(
    rows.classes.filter((c) => isActiveParent(c, schools.ids, syncDate)).map((c) => c.classId),
  );
  const activeGroupIds = new Set(
    rows.groups.filter((g) => isActiveParent(g, schools.ids, syncDate)).map((g) => g.groupId),
  );
  const studentsByGroup = new MultiMap<string, string>();
  for (const m of rows.groupMembers) {
    if (students.ids.has(m.studentId) && isActivePlacement(m, syncDate))
      studentsByGroup.add(m.groupId, m.studentId);
  }
  const activeClassesByActivity = new MultiMap<string, string>();
  const activeGroupsByActivity = new MultiMap<string, string>();
  for (const link of rows.activityLinks) {
    if (link.classId !== null && activeClassIds.has(link.classId))
      activeClassesByActivity.add(link.activityId, link.classId);
    if (link.groupId !== null && activeGroupIds.has(link.groupId))
      activeGroupsByActivity.add(link.activityId, link.groupId);
  }
  const teachersByActivity = new MultiMap<string, string>();
  for (const t of rows.activityStaff)
    if (staff.ids.has(t.staffId)) teachersByActivity.add(t.activityId, t.staffId);
  const teachingGroups = selectTeachingGroups(rows.activities, {
    marker: config.teachingGroupMarker,
    exportedSchoolIds: schools.ids,
    activeClassesByActivity,
    activeGroupsByActivity,
    teachersByActivity,
    studentsByClass,
    studentsByGroup,
    syncDate,
  });

  const memberships: Membership[] = classes.memberships.concat(teachingGroups.memberships);
  const membershipCounts = {
    class: { teacher: 0, student: 0 },
    'teaching-group': { teacher: 0, student: 0 },
  };
  for (const m of memberships) membershipCounts[m.container][m.role] += 1;
  const count = (container: Membership['container'], role: Membership['role']) =>
    membershipCounts[container][role];
  return {
    warnings: duplicateSchoolWarnings(rows, schools.schools),
    export: {
      syncDate,
      schools: schools.schools,
      students: students.persons,
      staff: staff.persons,
      classes: classes.classes,
      teachingGroups: teachingGroups.teachingGroups,
      memberships,
    },
    summary: {
      syncDate,
      counts: {
        schools: schools.schools.length,
        students: students.persons.length,
        staff: staff.persons.length,
        classes: classes.classes.length,
        teachingGroups: teachingGroups.teachingGroups.length,
        memberships: {
          classTeachers: count('class', 'teacher'),
          classStudents: count('class', 'student'),
          teachingGroupTeachers: count('teaching-group', 'teacher'),
          teachingGroupStudents: count('teaching-group', 'student'),
        },
      },
      excluded: {
        schools: schools.excluded,
        students: students.excluded,
        staff: staff.excluded,
        classes: classes.excluded,
        teachingGroups: teachingGroups.excluded,
      },
      email: {
        policy: config.personsWithoutEmail,
        fromProcapita: students.fromProcapita + staff.fromProcapita,
        fromMapping: students.fromMapping + staff.fromMapping,
        withoutEmail: { students: students.withoutEmail, staff: staff.withoutEmail },
      },
    },
  };
}
