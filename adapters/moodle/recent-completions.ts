import { completionSchema, type Completion } from '../../domain/grade-return/completion';
import { RejectedError } from '../../platform/errors';
import type { MoodleClient } from './client';
import { completedAtOf, courseGradeOf, learnerIdOf } from './completion-rules';
import type { MoodleCourse, MoodleEnrolledUser, MoodleUserGradeItems } from './schemas';

/** Moodle publishes no rate limit; a few calls at a time keep the load on a shared PHP site modest. */
const MAX_CONCURRENT_CALLS = 4;
/** Moodle errorcodes that mean "nothing to report here", not a failure of the poll. */
const NOTHING_TO_REPORT = new Set(['nocriteriaset', 'completionnotenabled', 'nottracked']);

export interface SkippedCompletion {
  courseId: number;
  userId: number;
  reason: string;
}

export interface CourseScanOptions {
  /** Only completions at or after this moment are reported (the look-back window). */
  completedSince: Date;
  /**
   * Only ask the completion status of learners who opened the course (`lastcourseaccess`) or whose
   * course total was graded (`gradedategraded`) at or after this moment. Undefined: ask every
   * enrolled learner (a full scan).
   */
  activeSince?: Date;
  /** Called with each completion as soon as it is found, before the rest of the course is asked. */
  onCompletion?: (completion: Completion) => Promise<void>;
  /** Completed, but not reportable (yet), e.g. no course grade; the next poll sees it again. */
  onSkip?: (skipped: SkippedCompletion) => void;
  signal?: AbortSignal;
}

export interface CourseScan {
  enrolled: number;
  /** Learners whose completion status was asked (all of them in a full scan). */
  asked: number;
  completions: Completion[];
}

/** The courses a poll walks: completion enabled, not the site course, in id order (resuming relies on it). */
export async function listCompletionCourses(client: MoodleClient): Promise<MoodleCourse[]> {
  return (await client.getCourses())
    .filter((c) => c.enablecompletion && c.format !== 'site')
    .sort((a, b) => a.id - b.id);
}

/**
 * One course: its enrolled learners (one call, with `lastcourseaccess`), the grade items of all of
 * them (one call), and the completion status of the learners active since `activeSince` (one call
 * each). Moodle's web services have no "completed since" listing, so activity is the filter: a
 * learner completes a course by doing something in it or by being graded.
 */
export async function scanCourseCompletions(
  client: MoodleClient,
  course: MoodleCourse,
  opts: CourseScanOptions,
): Promise<CourseScan> {
  const users = await client.getEnrolledUsers(course.id);
  const grades = await client.getCourseGradeItems(course.id);
  const activeSince = opts.activeSince ? opts.activeSince.getTime() / 1000 : undefined;
  const candidates =
    activeSince === undefined
      ? users
      : users.filter(
          (u) => (u.lastcourseaccess ?? 0) >= activeSince || (gradedAtOf(grades, u.id) ?? 0) >= activeSince,
        );
  const found = await mapLimited(candidates, opts.signal, async (user) => {
    const completion = await completionOf(client, course, user, grades, opts);
    if (completion) await opts.onCompletion?.(completion);
    return completion;
  });
  return {
    enrolled: users.length,
    asked: candidates.length,
    completions: found.filter((c): c is Completion => c !== undefined),
  };
}

export interface ListRecentCompletionsOptions {
  /** Only completions at or after this moment. */
  since: Date;
  /** Called after each course, with the number of courses in total. */
  onProgress?: (done: number, total: number) => void;
  onSkip?: (skipped: SkippedCompletion) => void;
  signal?: AbortSignal;
}

/** Every completion since `since` in every course: a full scan, course after course. */
export async function listRecentCompletions(
  client: MoodleClient,
  opts: ListRecentCompletionsOptions,
): Promise<Completion[]> {
  const courses = await listCompletionCourses(client);
  const all: Completion[] = [];
  opts.onProgress?.(0, courses.length);
  for (const [index, course] of courses.entries()) {
    const scan = await scanCourseCompletions(client, course, { ...opts, completedSince: opts.since });
    all.push(...scan.completions);
    opts.onProgress?.(index + 1, courses.length);
  }
  return all;
}

function courseTotalOf(grades: MoodleUserGradeItems, userId: number) {
  return grades.usergrades.find((g) => g.userid === userId)?.gradeitems.find((i) => i.itemtype === 'course');
}

function gradedAtOf(grades: MoodleUserGradeItems, userId: number): number | undefined {
  return courseTotalOf(grades, userId)?.gradedategraded ?? undefined;
}

async function completionOf(
  client: MoodleClient,
  course: MoodleCourse,
  user: MoodleEnrolledUser,
  grades: MoodleUserGradeItems,
  opts: CourseScanOptions,
): Promise<Completion | undefined> {
  let completedAt: Date | undefined;
  try {
    completedAt = completedAtOf(await client.getCourseCompletionStatus(course.id, user.id));
  } catch (err) {
    if (err instanceof RejectedError && NOTHING_TO_REPORT.has(err.reason)) return undefined;
    throw err;
  }
  if (!completedAt || completedAt < opts.completedSince) return undefined;
  const skip = (reason: string): undefined =>
    void opts.onSkip?.({ courseId: course.id, userId: user.id, reason });
  const grade = courseGradeOf(grades, user.id);
  if (grade === undefined) return skip('completed without a course grade');
  const parsed = completionSchema.safeParse({
    source: 'moodle',
    learnerId: learnerIdOf(user),
    courseId: String(course.id),
    grade,
    completedAt: completedAt.toISOString(),
  });
  if (!parsed.success)
    return skip(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

async function mapLimited<T, R>(
  items: T[],
  signal: AbortSignal | undefined,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      signal?.throwIfAborted();
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_CONCURRENT_CALLS, items.length) }, worker));
  return results;
}
