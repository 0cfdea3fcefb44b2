import { completionSchema, type Completion } from '../../domain/grade-return/completion';
import { RejectedError } from '../../platform/errors';
import type { MoodleClient } from './client';
import { completedAtOf, courseGradeOf, learnerIdOf } from './completion-rules';
import type { MoodleCourse, MoodleEnrolledUser } from './schemas';

/** Moodle publishes no rate limit; a few calls at a time keep the load on a shared PHP site modest. */
const MAX_CONCURRENT_CALLS = 4;
/** Moodle errorcodes that mean "nothing to report here", not a failure of the poll. */
const NOTHING_TO_REPORT = new Set(['nocriteriaset', 'completionnotenabled', 'nottracked']);

export interface SkippedCompletion {
  courseId: number;
  userId: number;
  reason: string;
}

export interface ListRecentCompletionsOptions {
  /** Only completions at or after this moment. */
  since: Date;
  /** Called after each learner checked, with the number of learner-course pairs in total. */
  onProgress?: (done: number, total: number) => void;
  /** Completed, but not reportable (yet), e.g. no course grade; the next poll sees it again. */
  onSkip?: (skipped: SkippedCompletion) => void;
  signal?: AbortSignal;
}

interface Pair {
  course: MoodleCourse;
  user: MoodleEnrolledUser;
}

/**
 * Moodle computes course completion in its cron and pushes nothing, so the platform walks it:
 * courses with completion enabled, their enrolled users, each user's completion status, and the
 * course grade of those who completed at or after `since`.
 */
export async function listRecentCompletions(
  client: MoodleClient,
  opts: ListRecentCompletionsOptions,
): Promise<Completion[]> {
  const courses = (await client.getCourses()).filter((c) => c.enablecompletion && c.format !== 'site');
  const pairs = (
    await mapLimited(courses, opts.signal, async (course) =>
      (await client.getEnrolledUsers(course.id)).map((user): Pair => ({ course, user })),
    )
  ).flat();
  let done = 0;
  opts.onProgress?.(done, pairs.length);
  const found = await mapLimited(pairs, opts.signal, async (pair) => {
    const completion = await completionOf(client, pair, opts);
    opts.onProgress?.(++done, pairs.length);
    return completion;
  });
  return found.filter((c): c is Completion => c !== undefined);
}

async function completionOf(
  client: MoodleClient,
  { course, user }: Pair,
  opts: ListRecentCompletionsOptions,
): Promise<Completion | undefined> {
  let completedAt: Date | undefined;
  try {
    completedAt = completedAtOf(await client.getCourseCompletionStatus(course.id, user.id));
  } catch (err) {
    if (err instanceof RejectedError && NOTHING_TO_REPORT.has(err.reason)) return undefined;
    throw err;
  }
  if (!completedAt || completedAt < opts.since) return undefined;
  const skip = (reason: string): undefined =>
    void opts.onSkip?.({ courseId: course.id, userId: user.id, reason });
  const grade = courseGradeOf(await client.getUserGradeItems(course.id, user.id), user.id);
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
