/**
 * The Moodle poll's cursor and result (CV-1). Each poll returns a cursor; the schedule hands the
 * last completed poll's result to the next poll (`workflowInfo().lastResult`), which passes the
 * cursor to its activity. Loaded by workflow code: no zod.
 */

/**
 * The next poll asks learners active since this poll's start minus this overlap: Moodle's cron
 * marks a course complete some time after the learner's last action (the completion task runs
 * every few minutes on a healthy site), and `lastcourseaccess` is updated at most once a minute.
 */
export const MOODLE_ACTIVITY_OVERLAP_MS = 2 * 60 * 60 * 1000;
/**
 * Completions that need no action in the course (by date, by duration, another course completed,
 * marked by a manager) are found by a full scan: every enrolled learner, once a day.
 */
export const MOODLE_FULL_SCAN_EVERY_MS = 24 * 60 * 60 * 1000;

export interface MoodleCourseFailure {
  courseId: number;
  /** Names the call and Moodle's errorcode; never a personal value. */
  reason: string;
  /** The activity filter the course had (null = full scan): the next poll uses it again. */
  activeSince: string | null;
}

export interface MoodlePollCursor {
  activeSince: string;
  fullScanAt: string;
  retry: MoodleCourseFailure[];
}

export interface MoodlePollResult {
  found: number;
  started: number;
  duplicates: number;
  /** Optional for the results of polls before the cursor existed. */
  fullScan?: boolean;
  coursesScanned?: number;
  coursesFailed?: MoodleCourseFailure[];
  cursor?: MoodlePollCursor;
}

const isIso = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** The cursor in a previous poll's result, or undefined (first poll, an older result, anything else). */
export function cursorOf(lastResult: unknown): MoodlePollCursor | undefined {
  if (typeof lastResult !== 'object' || lastResult === null) return undefined;
  const cursor = (lastResult as { cursor?: unknown }).cursor;
  if (typeof cursor !== 'object' || cursor === null) return undefined;
  const { activeSince, fullScanAt, retry } = cursor as Record<string, unknown>;
  if (!isIso(activeSince) || !isIso(fullScanAt)) return undefined;
  const failures = Array.isArray(retry)
    ? retry.filter(
        (r): r is MoodleCourseFailure =>
          typeof r === 'object' &&
          r !== null &&
          Number.isInteger((r as MoodleCourseFailure).courseId) &&
          typeof (r as MoodleCourseFailure).reason === 'string' &&
          ((r as MoodleCourseFailure).activeSince === null || isIso((r as MoodleCourseFailure).activeSince)),
      )
    : [];
  return { activeSince, fullScanAt, retry: failures };
}
