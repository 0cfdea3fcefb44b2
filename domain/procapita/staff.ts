import type { CalendarDate } from './dates';
import type { EmploymentRow, StaffRow } from './rows';
import { hasNotEnded } from './windows';

/** In the order they are checked; an excluded person is counted once, under the first reason that applies. */
export const staffExclusionReasons = [
  'noActiveEmployment',
  'protectedIdentity',
  'protectedAddress',
  'deceased',
  'missingName',
] as const;
export type StaffExclusion = (typeof staffExclusionReasons)[number];

/** PC-4: an employment at an exported school whose end date is empty or not passed. */
export function isActiveEmployment(
  employment: EmploymentRow,
  exportedSchoolIds: ReadonlySet<string>,
  syncDate: CalendarDate,
): boolean {
  return exportedSchoolIds.has(employment.schoolId) && hasNotEnded(employment.endDate, syncDate);
}

/** PC-4: why a staff member is not exported, or null when they are. */
export function staffExclusion(staff: StaffRow, hasActiveEmployment: boolean): StaffExclusion | null {
  if (!hasActiveEmployment) return 'noActiveEmployment';
  if (staff.protectedIdentity) return 'protectedIdentity';
  if (staff.protectedAddress) return 'protectedAddress';
  if (staff.deceased) return 'deceased';
  if (staff.firstName === null || staff.lastName === null) return 'missingName';
  return null;
}
