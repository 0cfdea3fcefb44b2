import { z } from 'zod';
import { completionSchema } from './completion';
import { dailyAttemptsRange } from './completion-fields';

/** The grade-return workflow's input: the completion plus the daily retry budget (CV-4). */
export const gradeReturnInputSchema = completionSchema.extend({
  /** Daily attempts before the workflow gives up. */
  maxDailyAttempts: z
    .number()
    .int()
    .min(dailyAttemptsRange.min)
    .max(dailyAttemptsRange.max)
    .default(dailyAttemptsRange.default),
});

export type GradeReturnInput = z.output<typeof gradeReturnInputSchema>;

/** Formats zod issues as one line that names every bad field, for operators. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`).join('; ');
}
