/** The shapes of InfoCaption's answers: the guides listing as public client code reads it, the rest assumed. */
import { z } from 'zod';

const pageCounts = {
  totalHits: z.number().int().min(0),
  totalPages: z.number().int().min(0),
  currentPage: z.number().int().min(0),
};

export const guideSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.number().int(),
  published: z.boolean(),
});

export const guidesPageSchema = z.object({ results: z.array(guideSchema), ...pageCounts });

export const courseResultSchema = z.object({
  resultId: z.union([z.string().min(1), z.number().int()]).transform(String),
  userId: z.number().int(),
  userName: z.string(),
  /** As InfoCaption holds it; the match trims and lower-cases it (CW-3), so it is not validated here. */
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  passed: z.boolean(),
  completedAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString()),
});

export const courseResultsPageSchema = z.object({
  guideId: z.number().int(),
  results: z.array(courseResultSchema),
  ...pageCounts,
});
