/**
 * A course completion reported by an e-learning system, normalized across Moodle, Ilias and
 * aNewSpring. It is the grade-return workflow's input, so operators can paste it in the Web UI.
 */
import { z } from 'zod';

export const completionSources = ['moodle', 'ilias', 'anewspring'] as const;

export const completionSchema = z.object({
  /** The e-learning system that reported the completion. */
  source: z.enum(completionSources),
  /** The person id in the e-learning system; equals Coachview's person id or external id (CV-5). */
  learnerId: z.string().trim().min(1).max(100),
  /** The course id in the e-learning system; filled in on Coachview's e-learning component (CV-5). */
  courseId: z.string().trim().min(1).max(100),
  /** The final grade as the e-learning system shows it, e.g. "8.5" or "Pass". */
  grade: z
    .union([z.string(), z.number()])
    .transform((g) => String(g).trim())
    .pipe(z.string().min(1, 'must not be empty').max(20)),
  /** When the course was completed in the e-learning system (ISO 8601 with offset, or a date). */
  completedAt: z.iso.datetime({ offset: true }).or(z.iso.date()),
});

export type Completion = z.output<typeof completionSchema>;
export type CompletionInput = z.input<typeof completionSchema>;

/** The calendar date of the completion, used as Coachview's approval date (CV-2). */
export function completionDate(completion: Pick<Completion, 'completedAt'>): string {
  return completion.completedAt.slice(0, 10);
}
