import { z } from 'zod';
import { completionSchema } from './completion';

/** The grade-return workflow's input: the completion plus the daily retry budget (CV-4). */
export const gradeReturnInputSchema = completionSchema.extend({
  /** Daily attempts before the workflow gives up; the seed's Coachview integration uses 30. */
  maxDailyAttempts: z.number().int().min(1).max(365).default(30),
});

export type GradeReturnInput = z.output<typeof gradeReturnInputSchema>;

/** Formats zod issues as one line that names every bad field, for operators. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`).join('; ');
}
