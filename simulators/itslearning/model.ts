/** itslearning's entities as the simulator holds and shows them. `syncKey: null` = made by hand. */
import { z } from 'zod';

export const syncKeySchema = z.object({ source: z.string().min(1), id: z.string().min(1) });
export type SyncKey = z.infer<typeof syncKeySchema>;

export interface SimPerson {
  id: number;
  syncKey: SyncKey | null;
  userName: string | null;
  firstName: string;
  lastName: string;
  fullName: string;
  email: string | null;
  nationalId: string | null;
  /** IMS institution role types, the primary one first. */
  institutionRoles: string[];
}

export interface SimGroup {
  id: number;
  syncKey: SyncKey | null;
  /** `Unit`, `Class`, `TeachingGroup`, `Course` or `Term`. */
  type: string;
  title: string;
  description: string | null;
  parentId: number | null;
  termId: number | null;
  start: string | null;
  end: string | null;
  /** Course archive: the course is in the archive (IMSE-8). */
  archived: boolean;
  /** Course archive: the course no longer hangs in the hierarchy (IMSE-8). */
  detachedFromHierarchy: boolean;
}

export interface SimMembership {
  groupId: number;
  personId: number;
  role: string;
  active: boolean;
  /** The source of the import that made it; `null` when it was added by hand. */
  syncSource: string | null;
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Groups: courses and terms archived instead of deleted (IMSE-8/9); only when there are some. */
  archived?: number;
}

/** Site settings the import reads. */
export interface SiteSettings {
  /**
   * itslearning's "Course archiving" (Admin > Global settings > Features and security/Synchronisation),
   * on by default: a delete of a course the integration created archives it instead (IMSE-8).
   */
  courseArchiving: boolean;
}

export const siteSettingsSchema = z.object({ courseArchiving: z.boolean() }).partial();

/** Finds one group for an admin action: by its sync key, or by its id for one made by hand. */
export const groupRefSchema = z.union([
  z.object({ syncKey: z.object({ source: z.string().min(1), id: z.string().min(1) }) }),
  z.object({ id: z.number().int() }),
]);

export interface ImportReport {
  importId: string;
  idempotencyKey: string | null;
  receivedAt: string;
  persons: ImportCounts;
  groups: ImportCounts;
  memberships: ImportCounts;
  warnings: string[];
  /** All warnings, when `warnings` was cut short. */
  warningCount: number;
}

export const seedSchema = z.object({
  persons: z
    .array(
      z.object({
        ref: z.string().min(1).optional(),
        syncKey: syncKeySchema.nullable().default(null),
        userName: z.string().nullable().default(null),
        firstName: z.string().min(1),
        lastName: z.string().min(1),
        email: z.string().nullable().default(null),
        nationalId: z.string().nullable().default(null),
        institutionRoles: z.array(z.string()).default([]),
      }),
    )
    .default([]),
  groups: z
    .array(
      z.object({
        ref: z.string().min(1).optional(),
        syncKey: syncKeySchema.nullable().default(null),
        type: z.string().min(1),
        title: z.string().min(1),
        description: z.string().nullable().default(null),
        parentRef: z.string().optional(),
        termRef: z.string().optional(),
        start: z.string().nullable().default(null),
        end: z.string().nullable().default(null),
        archived: z.boolean().default(false),
        detachedFromHierarchy: z.boolean().default(false),
      }),
    )
    .default([]),
  memberships: z
    .array(
      z.object({
        groupRef: z.string().min(1),
        personRef: z.string().min(1),
        role: z.string().min(1),
        active: z.boolean().default(true),
        syncSource: z.string().nullable().default(null),
      }),
    )
    .default([]),
});
export type SeedInput = z.input<typeof seedSchema>;
