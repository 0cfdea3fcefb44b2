/**
 * What the target holds, in canonical shape. Each entity says under which sync key source it was
 * created; `null` means it was made by hand in the target and carries no sync key (IMSE-2).
 */
import { z } from 'zod';
import { groupFields, membershipSchema, personSchema, unitSchema } from './model';

const syncSource = z.string().min(1).nullable();

export const targetPersonSchema = personSchema.extend({ syncSource });
export const targetUnitSchema = unitSchema.extend({ syncSource });
export const targetGroupSchema = groupFields.extend({
  syncSource,
  /** Course archive flags the target keeps (IMSE-8 reads them). */
  archived: z.boolean().optional(),
  detachedFromHierarchy: z.boolean().optional(),
});
export const targetMembershipSchema = membershipSchema.extend({ syncSource });

export const targetStateSchema = z.object({
  persons: z.array(targetPersonSchema),
  units: z.array(targetUnitSchema),
  groups: z.array(targetGroupSchema),
  memberships: z.array(targetMembershipSchema),
});

export type TargetPerson = z.infer<typeof targetPersonSchema>;
export type TargetUnit = z.infer<typeof targetUnitSchema>;
export type TargetGroup = z.infer<typeof targetGroupSchema>;
export type TargetMembership = z.infer<typeof targetMembershipSchema>;
export type TargetState = z.infer<typeof targetStateSchema>;

export function emptyTargetState(): TargetState {
  return { persons: [], units: [], groups: [], memberships: [] };
}
