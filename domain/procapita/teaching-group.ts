import type { TeachingGroupMarker } from './config';
import type { CalendarDate } from './dates';
import { isMarkedTeachingGroup } from './marker';
import type { ActivityRow } from './rows';
import { endsAfter, isActiveContainer, isWithinLead, TEACHERS_LEAD_DAYS } from './windows';

export const teachingGroupExclusionReasons = [
  'notMarked',
  'schoolNotExported',
  'notYetVisible',
  'ended',
  'noActiveParent',
  'noTeacher',
] as const;
export type TeachingGroupExclusion = (typeof teachingGroupExclusionReasons)[number];

/** PC-6: a class or group the activity links to counts when it is active and its school is exported. */
export function isActiveParent(
  parent: { schoolId: string; startDate: CalendarDate | null; endDate: CalendarDate | null },
  exportedSchoolIds: ReadonlySet<string>,
  syncDate: CalendarDate,
): boolean {
  return exportedSchoolIds.has(parent.schoolId) && isActiveContainer(parent, syncDate);
}

export interface TeachingGroupContext {
  marker: TeachingGroupMarker;
  exportedSchoolIds: ReadonlySet<string>;
  activeParentCount: number;
  teacherCount: number;
  syncDate: CalendarDate;
}

/**
 * PC-6: why an activity is not exported as a teaching group, or null when it is: marked, its school
 * exported, from 14 days before its start (an empty start counts as started), its end empty or later
 * than the sync date, at least one active parent class or group, and at least one exported teacher.
 */
export function teachingGroupExclusion(
  activity: ActivityRow,
  ctx: TeachingGroupContext,
): TeachingGroupExclusion | null {
  if (!isMarkedTeachingGroup(activity, ctx.marker)) return 'notMarked';
  if (!ctx.exportedSchoolIds.has(activity.schoolId)) return 'schoolNotExported';
  if (!isWithinLead(activity.startDate, ctx.syncDate, TEACHERS_LEAD_DAYS)) return 'notYetVisible';
  if (!endsAfter(activity.endDate, ctx.syncDate)) return 'ended';
  if (ctx.activeParentCount === 0) return 'noActiveParent';
  if (ctx.teacherCount === 0) return 'noTeacher';
  return null;
}
