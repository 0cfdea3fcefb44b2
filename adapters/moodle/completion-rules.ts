/**
 * How a Moodle course completion maps onto the normalized {@link Completion} (CV-5):
 * - learner id: the user's `idnumber` (where the site stores Coachview's person id or external id)
 *   when set, else the Moodle user id;
 * - course id: the Moodle course id, the number filled in on Coachview's e-learning component;
 * - grade: the course total (grade item of type `course`) as Moodle formats it;
 * - completed at: when the completion criteria were met.
 */
import type { MoodleCourseCompletionStatus, MoodleEnrolledUser, MoodleUserGradeItems } from './schemas';

const AGGREGATION_ANY = 2;

export function learnerIdOf(user: Pick<MoodleEnrolledUser, 'id' | 'idnumber'>): string {
  const idnumber = user.idnumber?.trim();
  return idnumber ? idnumber : String(user.id);
}

/**
 * The course completion time. Moodle reports it per criterion only: with "all criteria" the course
 * is complete when the last one was met, with "any criterion" when the first one was.
 */
export function completedAtOf(status: MoodleCourseCompletionStatus): Date | undefined {
  const { completed, aggregation, completions } = status.completionstatus;
  if (!completed) return undefined;
  const times = completions
    .filter((c) => c.complete && typeof c.timecompleted === 'number' && c.timecompleted > 0)
    .map((c) => c.timecompleted as number);
  if (times.length === 0) return undefined;
  const seconds = aggregation === AGGREGATION_ANY ? Math.min(...times) : Math.max(...times);
  return new Date(seconds * 1000);
}

/** The formatted course total, or undefined while the course has no grade yet. */
export function courseGradeOf(grades: MoodleUserGradeItems, userId: number): string | undefined {
  const item = grades.usergrades
    .find((g) => g.userid === userId)
    ?.gradeitems.find((i) => i.itemtype === 'course');
  if (!item || item.graderaw === null || item.graderaw === undefined) return undefined;
  const formatted = item.gradeformatted?.trim();
  return formatted && formatted !== '-' ? formatted : String(item.graderaw);
}
