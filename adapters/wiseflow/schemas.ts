/** The shapes of WISEflow's answers (REFERENCE.md; the parts it does not spell out are in docs/wiseflow-apis.md). */
import { z } from 'zod';

const id = z.number().int().positive();
const unix = z.number().int().min(0);

export const licenseInfoSchema = z.object({
  licenseId: id,
  name: z.string(),
  userDataTypes: z.array(z.object({ id, name: z.string() })),
  settings: z.object({ requireUniqueEmails: z.boolean() }),
});

export const assessorTypesSchema = z.array(z.object({ id, name: z.string(), external: z.boolean() }));

export const flowSchema = z.object({
  id,
  title: z.string(),
  state: z.enum([
    'NOT_ACTIVATED',
    'ACTIVATED',
    'PARTICIPATION_STARTED',
    'PARTICIPATION_ENDED',
    'CONCLUDED',
    'ARCHIVED',
  ]),
  markingStart: unix.nullish().transform((v) => v ?? undefined),
  markingEnd: unix.nullish().transform((v) => v ?? undefined),
  participationStart: unix.nullish().transform((v) => v ?? undefined),
  participationEnd: unix.nullish().transform((v) => v ?? undefined),
});

export const userSchema = z.object({
  userId: id,
  firstName: z.string(),
  lastName: z.string(),
  emails: z.array(z.string()),
  externalIds: z.array(z.object({ userDataTypeId: id, value: z.string() })).default([]),
  roles: z.array(z.string()).default([]),
});

export const flowAssessorSchema = z.object({ assessorId: id, userId: id, assessorTypeId: id });

export const assessorPageSchema = z.object({
  data: z.array(flowAssessorSchema),
  total: z.number().int().min(0),
});

export const externalSourceSchema = z.object({
  id,
  reference: z.string(),
  description: z.string(),
  syncState: z.enum(['NONE', 'SUCCESS', 'PENDING', 'FAILED']),
  lastSync: unix.nullish().transform((v) => v ?? undefined),
  lastRequestedSync: unix.nullish().transform((v) => v ?? undefined),
});

export const accessTokenAnswerSchema = z.object({
  token: z.string().min(1),
  /** Not in the documented answer; when WISEflow leaves it out the client builds the link itself. */
  url: z.url().optional(),
  expires: unix,
  creationDate: unix,
});
