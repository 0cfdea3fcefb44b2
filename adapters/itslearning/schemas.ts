/** The shapes of itslearning's answers, as the client relies on them. */
import { z } from 'zod';

const counts = z.object({
  created: z.number().int().min(0),
  updated: z.number().int().min(0),
  unchanged: z.number().int().min(0).default(0),
  deleted: z.number().int().min(0),
  /** Courses and terms archived instead of deleted (IMSE-8/9); the simulator sends it when non-zero. */
  archived: z.number().int().min(0).optional(),
});

export const importReportSchema = z.object({
  importId: z.string().min(1),
  persons: counts,
  groups: counts,
  memberships: counts,
  warnings: z.array(z.string()),
  warningCount: z.number().int().min(0).optional(),
});
export type ImportReport = z.infer<typeof importReportSchema>;

const syncKey = z.object({ source: z.string(), id: z.string() }).nullable();

export const personItemSchema = z.object({
  id: z.number().int(),
  syncKey,
  userName: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  nationalId: z.string().nullable(),
  institutionRoles: z.array(z.string()),
});

export const groupItemSchema = z.object({
  id: z.number().int(),
  syncKey,
  type: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  parentSyncKey: syncKey,
  termSyncKey: syncKey,
  start: z.string().nullable(),
  end: z.string().nullable(),
  archived: z.boolean(),
  detachedFromHierarchy: z.boolean(),
});

export const membershipItemSchema = z.object({
  groupSyncKey: syncKey,
  personSyncKey: syncKey,
  role: z.string(),
  active: z.boolean(),
  syncSource: z.string().nullable(),
});

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().min(0),
    nextOffset: z.number().int().min(0).nullable(),
  });
}

export type PersonItem = z.infer<typeof personItemSchema>;
export type GroupItem = z.infer<typeof groupItemSchema>;
export type MembershipItem = z.infer<typeof membershipItemSchema>;
