/**
 * The grade-return workflow checks its input without zod (domain/input-check.ts); the zod schema
 * stays the contract at the boundaries. These tests hold the two to the same verdicts.
 */
import {
  checkGradeReturnInput,
  checkMoodlePollInput,
  gradeReturnInputSchema,
} from '../../../domain/grade-return';

const valid = {
  source: 'moodle',
  learnerId: 'p-100',
  courseId: 'course-7',
  grade: '8.5',
  completedAt: '2026-06-12T10:15:00+02:00',
};

const cases: Array<[string, unknown]> = [
  ['a complete input', valid],
  ['a date instead of a date-time', { ...valid, completedAt: '2026-06-12' }],
  ['UTC with fractions', { ...valid, completedAt: '2026-06-12T08:15:00.123Z' }],
  ['a numeric grade', { ...valid, grade: 7 }],
  ['padded ids and grade', { ...valid, learnerId: '  p-1 ', courseId: ' c ', grade: ' Pass ' }],
  ['an explicit budget', { ...valid, maxDailyAttempts: 3 }],
  ['unknown extra fields', { ...valid, note: 'ignored' }],
  ['an unknown source', { ...valid, source: 'blackboard' }],
  ['an empty learner', { ...valid, learnerId: '   ' }],
  ['a learner id too long', { ...valid, learnerId: 'x'.repeat(101) }],
  ['a course id that is a number', { ...valid, courseId: 7 }],
  ['an empty grade', { ...valid, grade: '  ' }],
  ['a grade too long', { ...valid, grade: 'g'.repeat(21) }],
  ['a grade that is a boolean', { ...valid, grade: true }],
  ['a grade that is NaN', { ...valid, grade: Number.NaN }],
  ['a grade that is Infinity', { ...valid, grade: Number.POSITIVE_INFINITY }],
  ['a prose date', { ...valid, completedAt: 'yesterday' }],
  ['a date-time without offset', { ...valid, completedAt: '2026-06-12T10:15:00' }],
  ['a date-time without seconds', { ...valid, completedAt: '2026-06-12T10:15+02:00' }],
  ['29 February in a common year', { ...valid, completedAt: '2025-02-29' }],
  ['29 February in a leap year', { ...valid, completedAt: '2028-02-29T00:00:00Z' }],
  ['month 13', { ...valid, completedAt: '2026-13-01' }],
  ['hour 24', { ...valid, completedAt: '2026-06-12T24:00:00Z' }],
  ['offset hour 24', { ...valid, completedAt: '2026-06-12T10:00:00+24:00' }],
  ['a budget of 0', { ...valid, maxDailyAttempts: 0 }],
  ['a budget of 366', { ...valid, maxDailyAttempts: 366 }],
  ['a fractional budget', { ...valid, maxDailyAttempts: 1.5 }],
  ['a budget as text', { ...valid, maxDailyAttempts: '30' }],
  ['everything wrong', { source: 'x', learnerId: '', courseId: null, grade: [], completedAt: 1 }],
  ['null', null],
  ['an array', [valid]],
  ['a string', 'moodle'],
];

/** The fields a zod error names, as the check names them ("(input)" for the whole value). */
function zodFields(input: unknown): string[] | null {
  const parsed = gradeReturnInputSchema.safeParse(input);
  if (parsed.success) return null;
  return [...new Set(parsed.error.issues.map((i) => (i.path.length ? String(i.path[0]) : '(input)')))].sort();
}

describe('grade-return input check', () => {
  it.each(cases)('[PLAT-5] agrees with the zod schema on %s', (_name, input) => {
    const checked = checkGradeReturnInput(input);
    const zod = gradeReturnInputSchema.safeParse(input);
    expect(checked.ok).toBe(zod.success);
    if (checked.ok && zod.success) {
      expect(checked.value).toEqual(zod.data);
    } else if (!checked.ok) {
      const fields = [...new Set(checked.problems.map((p) => p.slice(0, p.indexOf(':'))))].sort();
      expect(fields).toEqual(zodFields(input));
    }
  });

  it('[PLAT-5] names every bad field in one message', () => {
    const checked = checkGradeReturnInput({ source: 'x', learnerId: '', grade: '', completedAt: 'soon' });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toEqual([
      'source: expected one of "moodle"|"ilias"|"anewspring"',
      'learnerId: must have at least 1 character(s)',
      'courseId: expected string, received undefined',
      'grade: must not be empty',
      'completedAt: must be an ISO 8601 date-time with seconds and offset, or a date',
    ]);
  });

  it('[CV-4] defaults the daily budget to 30 attempts', () => {
    const checked = checkGradeReturnInput(valid);
    expect(checked).toMatchObject({ ok: true, value: { maxDailyAttempts: 30 } });
  });
});

describe('Moodle poll input check', () => {
  it('[PLAT-5] defaults the look-back to 7 days and accepts no input', () => {
    expect(checkMoodlePollInput(undefined)).toEqual({ ok: true, value: { lookbackDays: 7 } });
    expect(checkMoodlePollInput({ lookbackDays: 30 })).toEqual({ ok: true, value: { lookbackDays: 30 } });
  });

  it('[PLAT-5] rejects a look-back outside 1..90 days, naming the field', () => {
    expect(checkMoodlePollInput({ lookbackDays: 91 })).toEqual({
      ok: false,
      problems: ['lookbackDays: must be <= 90'],
    });
    expect(checkMoodlePollInput({ lookbackDays: 'week' })).toMatchObject({ ok: false });
  });
});
