/** The shapes of WinLas's answers, all assumed (WinLas publishes no API). */
import { z } from 'zod';

const id = z.union([z.string().min(1), z.number().int()]).transform(String);

export const competenceSchema = z.object({
  id,
  name: z.string(),
  defaultValidityDays: z.number().int().min(1).nullable(),
});

export const personSchema = z.object({
  id,
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
});

export const personsPageSchema = z.object({
  results: z.array(personSchema),
  totalPages: z.number().int().min(0),
  currentPage: z.number().int().min(0),
});

export const personSearchSchema = z.object({ results: z.array(personSchema) });

export const registrationSchema = z.object({
  id,
  personId: id,
  competenceId: id,
  validFrom: z.iso.date(),
  validTo: z.iso.date(),
  source: z.string(),
  externalKey: z.string().optional(),
});

export const registrationsSchema = z.object({ results: z.array(registrationSchema) });

export const registerAnswerSchema = z.object({ registration: registrationSchema, created: z.boolean() });
