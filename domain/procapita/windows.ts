/**
 * The date rules shared by the entity rules. All dates are Stockholm calendar dates `YYYY-MM-DD`,
 * so string comparison is date comparison.
 */
import { addDays, type CalendarDate } from './dates';

/** Classes and teaching groups appear this many days before they start, with their teachers (PC-5, PC-6). */
export const TEACHERS_LEAD_DAYS = 14;
/** Their students are added this many days before they start (PC-5, PC-6). */
export const STUDENTS_LEAD_DAYS = 1;

/** PC-2: start and end set, and the sync date between them (both inclusive). */
export function isWithinDates(
  start: CalendarDate | null,
  end: CalendarDate | null,
  syncDate: CalendarDate,
): boolean {
  return start !== null && end !== null && start <= syncDate && syncDate <= end;
}

/** An end date that is empty or not yet passed: ending today still counts (PC-3, PC-4). */
export function hasNotEnded(end: CalendarDate | null, syncDate: CalendarDate): boolean {
  return end === null || end >= syncDate;
}

/** PC-6: an activity's end must be empty or later than the sync date: ending today no longer counts. */
export function endsAfter(end: CalendarDate | null, syncDate: CalendarDate): boolean {
  return end === null || end > syncDate;
}

/** True once the sync date has reached `start - leadDays`; an empty start has always been reached. */
export function isWithinLead(start: CalendarDate | null, syncDate: CalendarDate, leadDays: number): boolean {
  return start === null || addDays(start, -leadDays) <= syncDate;
}

/**
 * PC-3 with PC-5: a placement (or group membership) is active once its start is reached and until its
 * end has passed. It counts from the day before it starts, so that a class's students are there the
 * day before the class starts (their placements usually start on the class's first day).
 */
export function isActivePlacement(
  placement: { startDate: CalendarDate | null; endDate: CalendarDate | null },
  syncDate: CalendarDate,
): boolean {
  return (
    placement.startDate !== null &&
    isWithinLead(placement.startDate, syncDate, STUDENTS_LEAD_DAYS) &&
    hasNotEnded(placement.endDate, syncDate)
  );
}

/**
 * PC-5, PC-6: a class or group with start and end set is "active" from 14 days before its start
 * until its end, inclusive; this is the window in which it is exported with its teachers.
 */
export function isActiveContainer(
  container: { startDate: CalendarDate | null; endDate: CalendarDate | null },
  syncDate: CalendarDate,
): boolean {
  const { startDate, endDate } = container;
  return (
    startDate !== null &&
    endDate !== null &&
    isWithinLead(startDate, syncDate, TEACHERS_LEAD_DAYS) &&
    syncDate <= endDate
  );
}

/** PC-5, PC-6: students are included from the day before the start. */
export function includesStudents(startDate: CalendarDate | null, syncDate: CalendarDate): boolean {
  return isWithinLead(startDate, syncDate, STUDENTS_LEAD_DAYS);
}
