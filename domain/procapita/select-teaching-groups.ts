import type { TeachingGroupMarker } from './config';
import { zeroCounts } from './counts';
import type { CalendarDate } from './dates';
import type { ExportedTeachingGroup, Membership } from './export';
import type { MultiMap } from './multimap';
import type { ActivityRow } from './rows';
import {
  teachingGroupExclusion,
  teachingGroupExclusionReasons,
  type TeachingGroupExclusion,
} from './teaching-group';
import { includesStudents } from './windows';

export interface TeachingGroupInputs {
  marker: TeachingGroupMarker;
  exportedSchoolIds: ReadonlySet<string>;
  /** Linked classes and groups that are active parents (see `isActiveParent`). */
  activeClassesByActivity: MultiMap<string, string>;
  activeGroupsByActivity: MultiMap<string, string>;
  /** Exported staff linked to each activity. */
  teachersByActivity: MultiMap<string, string>;
  /** Exported students with an active placement in a class, or an active membership in a group. */
  studentsByClass: MultiMap<string, string>;
  studentsByGroup: MultiMap<string, string>;
  syncDate: CalendarDate;
}

export interface TeachingGroupSelection {
  teachingGroups: ExportedTeachingGroup[];
  memberships: Membership[];
  excluded: Record<TeachingGroupExclusion, number>;
}

/** PC-6 over all activities: teachers through the activity, students through its active parents. */
export function selectTeachingGroups(
  activities: readonly ActivityRow[],
  inputs: TeachingGroupInputs,
): TeachingGroupSelection {
  const selection: TeachingGroupSelection = {
    teachingGroups: [],
    memberships: [],
    excluded: zeroCounts(teachingGroupExclusionReasons),
  };
  const seen = new Set<string>();
  for (const activity of activities) {
    if (seen.has(activity.activityId)) continue;
    seen.add(activity.activityId);
    const classIds = [...inputs.activeClassesByActivity.get(activity.activityId)].sort();
    const groupIds = [...inputs.activeGroupsByActivity.get(activity.activityId)].sort();
    const teachers = inputs.teachersByActivity.get(activity.activityId);
    const reason = teachingGroupExclusion(activity, {
      marker: inputs.marker,
      exportedSchoolIds: inputs.exportedSchoolIds,
      activeParentCount: classIds.length + groupIds.length,
      teacherCount: teachers.size,
      syncDate: inputs.syncDate,
    });
    if (reason !== null) {
      selection.excluded[reason] += 1;
      continue;
    }
    const studentsIncluded = includesStudents(activity.startDate, inputs.syncDate);
    selection.teachingGroups.push({
      id: activity.activityId,
      name: activity.activityName,
      schoolId: activity.schoolId,
      startDate: activity.startDate,
      endDate: activity.endDate,
      classIds,
      groupIds,
      studentsIncluded,
    });
    const containerId = activity.activityId;
    for (const personId of teachers) {
      selection.memberships.push({ container: 'teaching-group', containerId, personId, role: 'teacher' });
    }
    if (!studentsIncluded) continue;
    const students = studentsOf(classIds, groupIds, inputs);
    for (const personId of students) {
      selection.memberships.push({ container: 'teaching-group', containerId, personId, role: 'student' });
    }
  }
  return selection;
}

/** The students of an activity's parents, each once; one parent's set as it is (no copy). */
function studentsOf(
  classIds: readonly string[],
  groupIds: readonly string[],
  inputs: Pick<TeachingGroupInputs, 'studentsByClass' | 'studentsByGroup'>,
): ReadonlySet<string> {
  if (classIds.length + groupIds.length === 1) {
    return classIds[0] !== undefined
      ? inputs.studentsByClass.get(classIds[0])
      : inputs.studentsByGroup.get(groupIds[0] as string);
  }
  const students = new Set<string>();
  for (const classId of classIds) for (const s of inputs.studentsByClass.get(classId)) students.add(s);
  for (const groupId of groupIds) for (const s of inputs.studentsByGroup.get(groupId)) students.add(s);
  return students;
}
