/** The shapes of Praktikportalen's answers: assumed (no public API), docs/wiseflow-apis.md. */
import { z } from 'zod';

const person = z.object({
  praktikportalenId: z.string().min(1),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
});

export const periodSchema = z.object({
  periodNumber: z.string().min(1),
  title: z.string(),
  startDate: z.iso.date(),
  endDate: z.iso.date(),
  students: z.array(person),
  supervisors: z.array(person),
});

export const publishedLinkSchema = z.object({ url: z.string(), expires: z.number().int() });
