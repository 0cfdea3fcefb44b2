/**
 * The field rules of a completion, shared by the zod schemas at the boundaries (intake, poller, CLI)
 * and by the workflow's own input check, which must not load zod (see input-check.ts).
 */

export const completionSources = ['moodle', 'ilias', 'anewspring'] as const;
export type CompletionSource = (typeof completionSources)[number];

export const ID_MAX_LENGTH = 100;
export const GRADE_MAX_LENGTH = 20;

/** The daily retry budget: the seed's Coachview integration uses 30 days. */
export const dailyAttemptsRange = { min: 1, max: 365, default: 30 } as const;

export const COMPLETED_AT_MESSAGE = 'must be an ISO 8601 date-time with seconds and offset, or a date';

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern =
  /^(\d{4}-\d{2}-\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** A real calendar date written as YYYY-MM-DD (no 2025-02-29). */
export function isIsoDate(value: string): boolean {
  const m = datePattern.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** When a course was completed: an RFC 3339 date-time with offset, or a calendar date. */
export function isCompletionTimestamp(value: string): boolean {
  if (isIsoDate(value)) return true;
  const m = dateTimePattern.exec(value);
  return m !== null && isIsoDate(m[1] ?? '');
}

/**
 * The calendar date as written in the completion (a date-time's own date, whatever its offset). The
 * workflow uses it for the school year; Coachview's approval date is {@link completionDateIn}.
 */
export function completionDate(completion: { completedAt: string }): string {
  return completion.completedAt.slice(0, 10);
}

/** The e-learning systems' time zone unless configured otherwise (seed 002: Dutch schools). */
export const DEFAULT_ELEARNING_TIME_ZONE = 'Europe/Amsterdam';

/** Whether the runtime knows the IANA time zone, e.g. `Europe/Amsterdam`. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * The day the course was completed in the e-learning system's time zone: Coachview's approval date
 * (CV-2). A course completed at 00:30 in Amsterdam (23:30 UTC the day before) is approved on the
 * Amsterdam day. A plain date is that system's date already.
 */
export function completionDateIn(completion: { completedAt: string }, timeZone: string): string {
  const { completedAt } = completion;
  if (isIsoDate(completedAt)) return completedAt;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(completedAt));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
