import type { CalendarDate } from './dates';
import type { SchoolSelection } from './config';
import type { SchoolRow } from './rows';
import { isWithinDates } from './windows';

export const schoolExclusionReasons = ['notConfigured', 'inactive'] as const;
export type SchoolExclusion = (typeof schoolExclusionReasons)[number];

/** PC-2: why a school is not exported, or null when it is (configured with its form, active at the sync date). */
export function schoolExclusion(
  school: SchoolRow,
  selections: readonly SchoolSelection[],
  syncDate: CalendarDate,
): SchoolExclusion | null {
  const configured = selections.some(
    (s) => s.schoolId === school.schoolId && s.schoolForm === school.schoolForm,
  );
  if (!configured) return 'notConfigured';
  if (!isWithinDates(school.startDate, school.endDate, syncDate)) return 'inactive';
  return null;
}
