/** The shapes of Coachview's answers, as docs/coachview.md describes them. */
import { z } from 'zod';

const id = z.union([z.string().min(1), z.number().int()]).transform(String);

export const personSchema = z.object({
  id,
  externalId: z.string().nullish(),
});

export const elearningComponentSchema = z.object({
  id,
  personId: id,
  elearningCourseId: z.string(),
  result: z.string().nullable(),
  trainingRequestComponent: z.object({
    id,
    approvalDate: z.iso.date().nullable(),
  }),
});

const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
/** A page of a listing (CV-6, the shared snapshot): `total` is the number of items in all pages. */
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int().min(0) });

export const personListSchema = listOf(personSchema);
export const elearningComponentListSchema = listOf(elearningComponentSchema);
export const personPageSchema = pageOf(personSchema);
export const elearningComponentPageSchema = pageOf(elearningComponentSchema);

export const pushAnswerSchema = z.object({
  status: z.literal('processed'),
  componentId: id,
});

export type ElearningComponentAnswer = z.output<typeof elearningComponentSchema>;
export type PersonAnswer = z.output<typeof personSchema>;
