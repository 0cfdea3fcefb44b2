/** What the WinLas simulator holds and how it is seeded. */
import { z } from 'zod';

/** A node of the competence tree; `defaultValidityDays` null means a registration made by an integration has no default end. */
export interface Competence {
  id: string;
  name: string;
  parentId: string | null;
  defaultValidityDays: number | null;
}

/** A person as payroll delivers them. */
export interface Person {
  id: string;
  /** As delivered: WinLas matches it trimmed and case-insensitively. */
  email: string;
  firstName: string;
  lastName: string;
}

export interface Registration {
  id: string;
  personId: string;
  competenceId: string;
  validFrom: string;
  validTo: string;
  source: string;
  externalKey?: string;
  createdAt: string;
}

const date = z.iso.date();

export const competenceSeedSchema = z.object({
  id: z.string().min(1).optional(),
  name: z.string().min(1),
  parentId: z.string().min(1).nullable().default(null),
  defaultValidityDays: z.number().int().min(1).nullable().default(null),
});

export const personSeedSchema = z.object({
  id: z.string().min(1).optional(),
  email: z.string(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
});

export const registrationInputSchema = z
  .object({
    personId: z.string().min(1),
    competenceId: z.string().min(1),
    validFrom: date,
    validTo: date,
    source: z.string().min(1).default('manual'),
    externalKey: z.string().min(1).max(200).optional(),
  })
  .refine((r) => r.validFrom <= r.validTo, 'validTo must not be before validFrom');

export const seedSchema = z.object({
  competences: z.array(competenceSeedSchema).default([]),
  persons: z.array(personSeedSchema).default([]),
  registrations: z.array(registrationInputSchema).default([]),
});

/**
 * Many persons in one call: person n has the e-mail `generatedEmail(firstNumber + n - 1, emailDomain)`
 * (the InfoCaption generator makes the same), except every `skipEvery`-th number, which has no person
 * (an unmatched participant). `messyEvery` writes every k-th e-mail in capitals with spaces around it.
 */
export const generateSpecSchema = z.object({
  persons: z.number().int().min(1).max(2_000_000),
  firstNumber: z.number().int().min(1).default(1),
  emailDomain: z.string().min(1).default('generated.test'),
  skipEvery: z.number().int().min(2).optional(),
  messyEvery: z.number().int().min(1).optional(),
});

export type Seed = z.input<typeof seedSchema>;
export type GenerateSpec = z.input<typeof generateSpecSchema>;
export type RegistrationInput = z.input<typeof registrationInputSchema>;
