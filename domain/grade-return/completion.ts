/**
 * A course completion reported by an e-learning system, normalized across Moodle, Ilias and
 * aNewSpring. It is the grade-return workflow's input, so operators can paste it in the Web UI.
 */
import { z } from 'zod';
import {
  COMPLETED_AT_MESSAGE,
  GRADE_MAX_LENGTH,
  ID_MAX_LENGTH,
  completionSources,
  isCompletionTimestamp,
} from './completion-fields';

export const completionSchema = z.object({
  /** The e-learning system that reported the completion. */
  source: z.enum(completionSources),
  /** The person id in the e-learning system; equals Coachview's person id or external id (CV-5). */
  learnerId: z.string().trim().min(1).max(ID_MAX_LENGTH),
  /** The course id in the e-learning system; filled in on Coachview's e-learning component (CV-5). */
  courseId: z.string().trim().min(1).max(ID_MAX_LENGTH),
  /** The final grade as the e-learning system shows it, e.g. "8.5" or "Pass". */
  grade: z
    .union([z.string(), z.number()])
    .transform((g) => String(g).trim())
    .pipe(z.string().min(1, 'must not be empty').max(GRADE_MAX_LENGTH)),
  /** When the course was completed in the e-learning system (ISO 8601 with offset, or a date). */
  completedAt: z.string().refine(isCompletionTimestamp, COMPLETED_AT_MESSAGE),
});

export type Completion = z.output<typeof completionSchema>;
export type CompletionInput = z.input<typeof completionSchema>;
