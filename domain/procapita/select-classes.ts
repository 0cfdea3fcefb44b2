import { classExclusion, classExclusionReasons, type ClassExclusion } from './class';
import { zeroCounts } from './counts';
import type { CalendarDate } from './dates';
import type { ExportedClass, Membership } from './export';
import type { MultiMap } from './multimap';
import type { ClassRow } from './rows';
import { includesStudents } from './windows';

export interface ClassSelection {
  classes: ExportedClass[];
  memberships: Membership[];
  excluded: Record<ClassExclusion, number>;
}

/**
 * PC-5 over all classes. `teachersByClass` holds exported staff only and `studentsByClass` exported
 * students with an active placement, so an excluded person never becomes a member.
 */
export function selectClasses(
  classes: readonly ClassRow[],
  exportedSchoolIds: ReadonlySet<string>,
  teachersByClass: MultiMap<string, string>,
  studentsByClass: MultiMap<string, string>,
  syncDate: CalendarDate,
): ClassSelection {
  const selection: ClassSelection = {
    classes: [],
    memberships: [],
    excluded: zeroCounts(classExclusionReasons),
  };
  const seen = new Set<string>();
  for (const cls of classes) {
    if (seen.has(cls.classId)) continue;
    seen.add(cls.classId);
    const teachers = teachersByClass.get(cls.classId);
    const reason = classExclusion(cls, exportedSchoolIds, teachers.size, syncDate);
    if (reason !== null) {
      selection.excluded[reason] += 1;
      continue;
    }
    // classExclusion returned null, so both dates are set.
    const startDate = cls.startDate as CalendarDate;
    const studentsIncluded = includesStudents(startDate, syncDate);
    selection.classes.push({
      id: cls.classId,
      name: cls.className,
      schoolId: cls.schoolId,
      startDate,
      endDate: cls.endDate as CalendarDate,
      studentsIncluded,
    });
    for (const personId of teachers) {
      selection.memberships.push({ container: 'class', containerId: cls.classId, personId, role: 'teacher' });
    }
    if (!studentsIncluded) continue;
    for (const personId of studentsByClass.get(cls.classId)) {
      selection.memberships.push({ container: 'class', containerId: cls.classId, personId, role: 'student' });
    }
  }
  return selection;
}
