import type { CalendarDate } from './dates';
import type { ClassPlacementRow, StudentRow } from './rows';
import { isActivePlacement } from './windows';

/** In the order they are checked; an excluded student is counted once, under the first reason that applies. */
export const studentExclusionReasons = [
  'noActivePlacement',
  'protectedIdentity',
  'protectedAddress',
  'deregistered',
  'deceased',
  'missingName',
] as const;
export type StudentExclusion = (typeof studentExclusionReasons)[number];

/** PC-3: an active placement in a class of an exported school. */
export function isPlacementAtExportedSchool(
  placement: ClassPlacementRow,
  classSchoolId: string | undefined,
  exportedSchoolIds: ReadonlySet<string>,
  syncDate: CalendarDate,
): boolean {
  return (
    classSchoolId !== undefined &&
    exportedSchoolIds.has(classSchoolId) &&
    isActivePlacement(placement, syncDate)
  );
}

/** PC-3: why a student is not exported, or null when they are. */
export function studentExclusion(student: StudentRow, hasActivePlacement: boolean): StudentExclusion | null {
  if (!hasActivePlacement) return 'noActivePlacement';
  if (student.protectedIdentity) return 'protectedIdentity';
  if (student.protectedAddress) return 'protectedAddress';
  if (student.deregistered) return 'deregistered';
  if (student.deceased) return 'deceased';
  if (student.firstName === null || student.lastName === null) return 'missingName';
  return null;
}
