import type { CalendarDate } from './dates';
import type { ClassRow } from './rows';
import { isWithinLead, TEACHERS_LEAD_DAYS } from './windows';

export const classExclusionReasons = [
  'missingDates',
  'schoolNotExported',
  'notYetVisible',
  'ended',
  'noTeacher',
] as const;
export type ClassExclusion = (typeof classExclusionReasons)[number];

/**
 * PC-5: why a class is not exported, or null when it is: start and end set, its school exported,
 * the sync date from 14 days before the start to the end, and at least one exported teacher.
 */
export function classExclusion(
  cls: ClassRow,
  exportedSchoolIds: ReadonlySet<string>,
  teacherCount: number,
  syncDate: CalendarDate,
): ClassExclusion | null {
  if (cls.startDate === null || cls.endDate === null) return 'missingDates';
  if (!exportedSchoolIds.has(cls.schoolId)) return 'schoolNotExported';
  if (!isWithinLead(cls.startDate, syncDate, TEACHERS_LEAD_DAYS)) return 'notYetVisible';
  if (syncDate > cls.endDate) return 'ended';
  if (teacherCount === 0) return 'noTeacher';
  return null;
}
