/** What the InfoCaption simulator holds and how it is seeded. */
import { z } from 'zod';

export interface Guide {
  id: number;
  name: string;
  /** 14 course, 18 physical course; other numbers are other guide types. */
  type: number;
  published: boolean;
  /** A deleted guide answers 404 everywhere and is left out of the listing. */
  deleted: boolean;
}

/** A user as InfoCaption's CSV import makes one (user name, e-mail, first and last name, department, title). */
export interface User {
  userId: number;
  userName: string;
  /** As imported: may carry spaces or capitals, which WinLas's match ignores. */
  email: string;
  firstName: string;
  lastName: string;
  department?: string;
  title?: string;
}

export interface Result {
  resultId: string;
  guideId: number;
  userId: number;
  passed: boolean;
  /** Epoch milliseconds. */
  completedAt: number;
}

const isoInstant = z.iso.datetime({ offset: true });

export const guideSeedSchema = z.object({
  id: z.number().int().positive().optional(),
  name: z.string().min(1),
  type: z.number().int().positive().default(14),
  published: z.boolean().default(true),
});

export const userSeedSchema = z.object({
  userId: z.number().int().positive().optional(),
  userName: z.string().min(1).optional(),
  email: z.string().min(1),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  department: z.string().optional(),
  title: z.string().optional(),
});

export const resultSeedSchema = z.object({
  guideId: z.number().int().positive(),
  userId: z.number().int().positive(),
  passed: z.boolean().default(true),
  /** Defaults to now. */
  completedAt: isoInstant.optional(),
  resultId: z.string().min(1).optional(),
});

export const seedSchema = z.object({
  guides: z.array(guideSeedSchema).default([]),
  users: z.array(userSeedSchema).default([]),
  results: z.array(resultSeedSchema).default([]),
});

/**
 * Many historical participants without sending each over HTTP: participant n (1-based) is a new user
 * with the e-mail `generatedEmail(firstNumber + n - 1, emailDomain)` (the WinLas generator makes the
 * same e-mails), takes guide n mod the number of guides, and completes at evenly spaced instants from
 * `from` to `to`; every `failEvery`-th participant of each guide fails.
 */
export const generateSpecSchema = z
  .object({
    /** Existing guides to fill, or new ones to create (published courses unless said otherwise). */
    guideIds: z.array(z.number().int().positive()).optional(),
    guides: z.array(guideSeedSchema).optional(),
    participants: z.number().int().min(1).max(2_000_000),
    firstNumber: z.number().int().min(1).default(1),
    emailDomain: z.string().min(1).default('generated.test'),
    failEvery: z.number().int().min(2).optional(),
    from: isoInstant.default('2024-01-01T08:00:00Z'),
    to: isoInstant.default('2025-12-31T16:00:00Z'),
  })
  .refine((s) => (s.guideIds?.length ?? 0) + (s.guides?.length ?? 0) > 0, 'give guideIds or guides')
  .refine((s) => Date.parse(s.from) <= Date.parse(s.to), 'from must not be after to');

export type Seed = z.input<typeof seedSchema>;
export type GenerateSpec = z.input<typeof generateSpecSchema>;
