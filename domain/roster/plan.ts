/**
 * A sync plan: the operations that make the target equal to the source, in the order they may be
 * applied. Plans are data (zod) so that activities can store them and read them back.
 */
import { z } from 'zod';
import {
  entityTypes,
  groupFields,
  groupKinds,
  isoDateSchema,
  membershipKey,
  membershipSchema,
  personSchema,
  unitSchema,
} from './model';

/**
 * `archive` (courses and terms only, IMSE-8/9) takes an entity out of use without deleting it: it
 * is a removal like a delete (a delay-delete window holds it), but reversible by hand.
 */
export const operationKinds = ['create', 'update', 'delete', 'archive'] as const;
export type OperationKind = (typeof operationKinds)[number];

const op = z.enum(operationKinds);
/** For updates: the fields that differ between source and target. */
const changed = z.array(z.string()).optional();

export const operationSchema = z.discriminatedUnion('entityType', [
  z.object({ entityType: z.literal('person'), op, record: personSchema, changed }),
  z.object({ entityType: z.literal('unit'), op, record: unitSchema, changed }),
  z.object({ entityType: z.enum(groupKinds), op, record: groupFields, changed }),
  z.object({ entityType: z.literal('membership'), op, record: membershipSchema, changed }),
]);
/** One write: `record` is the source's record for creates and updates, the target's for deletes. */
export type Operation = z.infer<typeof operationSchema>;

/** An operation a policy kept back from this run, e.g. a delete deferred by a delay-delete window. */
export const heldOperationSchema = z.object({
  operation: operationSchema,
  reason: z.string().min(1),
  /** The day the policy will let it through, when the policy knows. */
  until: isoDateSchema.optional(),
});
export type HeldOperation = z.infer<typeof heldOperationSchema>;

/** A source entity the plan leaves alone because the target holds it without our sync key. */
export const skippedEntitySchema = z.object({
  entityType: z.enum(entityTypes),
  key: z.string(),
  reason: z.enum(['manual-in-target', 'other-sync-source']),
});
export type SkippedEntity = z.infer<typeof skippedEntitySchema>;

export const syncPlanSchema = z.object({
  /** Hash of the content: the same source, target and policy give the same id. */
  planId: z.string().min(1),
  syncKeySource: z.string().min(1),
  asOf: isoDateSchema.optional(),
  operations: z.array(operationSchema),
  held: z.array(heldOperationSchema),
  skipped: z.array(skippedEntitySchema),
  /** Operator-facing lines the policies add (what they changed and why). */
  notes: z.array(z.string()),
});
export type SyncPlan = z.infer<typeof syncPlanSchema>;

/** The key of the entity an operation writes (sourcedId, or group and person for memberships). */
export function operationKey(operation: Operation): string {
  return operation.entityType === 'membership' ? membershipKey(operation.record) : operation.record.sourcedId;
}

/**
 * Apply order. Upserts go parents first (persons, units, terms, hierarchy groups, courses, then
 * memberships); deletes go the other way, memberships first. A course is archived (detached from
 * its hierarchy group) before that group is deleted. A batch never spans two phases.
 */
export const phases = [
  'upsert:person',
  'upsert:unit',
  'upsert:term',
  'upsert:class',
  'upsert:teaching-group',
  'upsert:course',
  'upsert:membership',
  'delete:membership',
  'delete:course',
  'archive:course',
  'delete:teaching-group',
  'delete:class',
  'delete:term',
  'archive:term',
  'delete:unit',
  'delete:person',
] as const;
export type Phase = (typeof phases)[number];

const phaseIndex = new Map<string, number>(phases.map((p, i) => [p, i]));

const phasePrefix = { create: 'upsert', update: 'upsert', delete: 'delete', archive: 'archive' } as const;

// Looked up twice per operation of a plan: no phase name built per lookup.
const phaseIndexByKind = Object.fromEntries(
  operationKinds.map((op) => [
    op,
    Object.fromEntries(
      entityTypes.map((type) => [type, phaseIndex.get(`${phasePrefix[op]}:${type}`) ?? phases.length]),
    ),
  ]),
) as Record<string, Record<string, number> | undefined>;

/** An archive of anything but a course or a term has no phase: it sorts last and is never planned. */
export function phaseOf(operation: Pick<Operation, 'op' | 'entityType'>): Phase {
  return `${phasePrefix[operation.op]}:${operation.entityType}` as Phase;
}

export function phaseIndexOf(operation: Pick<Operation, 'op' | 'entityType'>): number {
  return phaseIndexByKind[operation.op]?.[operation.entityType] ?? phases.length;
}
