/**
 * The grade-return workflow's own input check: the same rules as `gradeReturnInputSchema`, without
 * zod, so thousands of waiting grade returns stay cheap in the worker's cache (see domain/input-check.ts).
 */
import { FieldChecker, type InputCheck } from '../input-check';
import {
  COMPLETED_AT_MESSAGE,
  GRADE_MAX_LENGTH,
  ID_MAX_LENGTH,
  completionSources,
  dailyAttemptsRange,
  isCompletionTimestamp,
} from './completion-fields';
import type { GradeReturnInput } from './input';

export function checkGradeReturnInput(raw: unknown): InputCheck<GradeReturnInput> {
  const check = new FieldChecker(raw);
  const value: GradeReturnInput = {
    source: check.oneOf('source', completionSources),
    learnerId: check.trimmedString('learnerId', 1, ID_MAX_LENGTH),
    courseId: check.trimmedString('courseId', 1, ID_MAX_LENGTH),
    grade: grade(check),
    completedAt: check.matching('completedAt', isCompletionTimestamp, COMPLETED_AT_MESSAGE),
    maxDailyAttempts: check.integer('maxDailyAttempts', dailyAttemptsRange),
  };
  return check.result(value);
}

/** A grade may arrive as a number ("8.5" and 8.5 are the same grade); it is kept as text. */
function grade(check: FieldChecker): string {
  const raw = check.raw('grade');
  if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) {
    return check.fail('grade', 'expected string or number', '');
  }
  const text = String(raw).trim();
  if (text.length === 0) return check.fail('grade', 'must not be empty', text);
  if (text.length > GRADE_MAX_LENGTH)
    return check.fail('grade', `must have at most ${GRADE_MAX_LENGTH} characters`, text);
  return text;
}

/** The Moodle poll's input: how many days back to look for completions. */
export const lookbackDaysRange = { min: 1, max: 90, default: 7 } as const;

export function checkMoodlePollInput(raw: unknown): InputCheck<{ lookbackDays: number }> {
  const check = new FieldChecker(raw ?? {});
  return check.result({ lookbackDays: check.integer('lookbackDays', lookbackDaysRange) });
}
