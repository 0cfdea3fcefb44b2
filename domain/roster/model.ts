/**
 * The canonical roster: what the source (ProCapita) says should exist in the learning platform.
 * Every entity is keyed by its `sourcedId`, the sync key the target stores beside the entity.
 * Only `zod` is imported here so that workflows may use the types and schemas.
 */
import { z } from 'zod';

const sourcedId = z.string().min(1).max(256);
/** A calendar date `YYYY-MM-DD` (Europe/Stockholm, no time of day). */
export const isoDateSchema = z.iso.date();

export const personRoles = ['student', 'teacher', 'staff'] as const;
export type PersonRole = (typeof personRoles)[number];

export const personSchema = z.object({
  sourcedId,
  givenName: z.string().min(1),
  familyName: z.string().min(1),
  /** Login name in the target; defaults to nothing, the target then derives one. */
  userName: z.string().min(1).optional(),
  email: z.email().optional(),
  nationalId: z.string().min(1).optional(),
  /** The first role is the primary one. */
  roles: z.array(z.enum(personRoles)).min(1),
});
export type Person = z.infer<typeof personSchema>;

/** A school or an organisational unit: the hierarchy classes, groups and courses hang under. */
export const unitSchema = z.object({
  sourcedId,
  name: z.string().min(1),
  parentId: sourcedId.optional(),
});
export type Unit = z.infer<typeof unitSchema>;

export const groupKinds = ['class', 'teaching-group', 'course', 'term'] as const;
export type GroupKind = (typeof groupKinds)[number];

/** The fields of a group; {@link groupSchema} adds the rules that span fields. */
export const groupFields = z.object({
  sourcedId,
  kind: z.enum(groupKinds),
  name: z.string().min(1),
  description: z.string().min(1).optional(),
  /** A unit for classes, teaching groups and terms; for a course, the hierarchy group it is based on. */
  parentId: sourcedId.optional(),
  /** Courses: the term they belong to. */
  termId: sourcedId.optional(),
  /** Terms: first and last day. */
  start: isoDateSchema.optional(),
  end: isoDateSchema.optional(),
});

function checkGroup(group: z.infer<typeof groupFields>, ctx: z.core.$RefinementCtx): void {
  if (group.kind === 'term' && (!group.start || !group.end)) {
    ctx.addIssue({ code: 'custom', message: 'a term needs start and end', path: ['start'] });
  }
  if (group.start && group.end && group.start > group.end) {
    ctx.addIssue({ code: 'custom', message: 'start is after end', path: ['end'] });
  }
  if (group.termId && group.kind !== 'course') {
    ctx.addIssue({ code: 'custom', message: 'only a course belongs to a term', path: ['termId'] });
  }
}

export const groupSchema = groupFields.superRefine(checkGroup);
export type Group = z.infer<typeof groupSchema>;

/** Roles in a group, the IMS Enterprise role types. */
export const membershipRoles = [
  'Learner',
  'Instructor',
  'ContentDeveloper',
  'Member',
  'Manager',
  'Mentor',
  'Administrator',
  'TeachingAssistant',
] as const;
export type MembershipRole = (typeof membershipRoles)[number];

/** A person in a unit or group; one role per person and group. */
export const membershipSchema = z.object({
  groupId: sourcedId,
  personId: sourcedId,
  role: z.enum(membershipRoles),
});
export type Membership = z.infer<typeof membershipSchema>;

export const rosterSchema = z.object({
  persons: z.array(personSchema),
  units: z.array(unitSchema),
  groups: z.array(groupSchema),
  memberships: z.array(membershipSchema),
});
export type Roster = z.infer<typeof rosterSchema>;

/** The entity types a plan, its summary and the safety filter count separately. */
export const entityTypes = [
  'person',
  'unit',
  'class',
  'teaching-group',
  'course',
  'term',
  'membership',
] as const;
export type EntityType = (typeof entityTypes)[number];

/** The sync key of a membership: one per group and person. */
export function membershipKey(m: Pick<Membership, 'groupId' | 'personId'>): string {
  return `${m.groupId}\u001f${m.personId}`;
}

export function emptyRoster(): Roster {
  return { persons: [], units: [], groups: [], memberships: [] };
}
