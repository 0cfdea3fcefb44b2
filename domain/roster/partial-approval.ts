/**
 * Partial approval: an operator approves a run the safety filter stopped for some entity types and
 * operation kinds only (e.g. membership changes and person deletes now, course deletes later). The
 * rest is moved to `held` with reason `not-approved`; the next run plans it again and it comes
 * through the filter as usual. A create or update that needs something held (a membership of a
 * person whose create is held, a course under a held class) is held with it, so no batch refers to
 * an entity that is not there. Pure.
 */
import { z } from 'zod';
import { createHasher } from './hash';
import { entityTypes } from './model';
import { operationKinds, type HeldOperation, type Operation, type SyncPlan } from './plan';

export const NOT_APPROVED_REASON = 'not-approved';

/** One entity type and/or one operation kind; an empty scope matches nothing. */
export const approvalScopeSchema = z
  .object({ entityType: z.enum(entityTypes).optional(), op: z.enum(operationKinds).optional() })
  .strict()
  .refine((s) => s.entityType !== undefined || s.op !== undefined, {
    message: 'name an entityType, an op, or both',
  });
export type ApprovalScope = z.infer<typeof approvalScopeSchema>;

export const approvalSelectionSchema = z.object({
  /** Apply only what matches one of these (all when left out). */
  apply: z.array(approvalScopeSchema).min(1).optional(),
  /** Hold what matches one of these, even when `apply` matches it. */
  hold: z.array(approvalScopeSchema).min(1).optional(),
});
export type ApprovalSelection = z.infer<typeof approvalSelectionSchema>;

export const isPartialSelection = (s: ApprovalSelection): boolean => Boolean(s.apply || s.hold);

const matches = (scope: ApprovalScope, o: Operation): boolean =>
  (scope.entityType === undefined || scope.entityType === o.entityType) &&
  (scope.op === undefined || scope.op === o.op);

export function selected(selection: ApprovalSelection, o: Operation): boolean {
  if (selection.apply && !selection.apply.some((s) => matches(s, o))) return false;
  return !selection.hold?.some((s) => matches(s, o));
}

/** Keys an upsert needs to exist first: a membership's person and group, a group's parent and term. */
function needs(o: Operation): string[] {
  if (o.entityType === 'membership') return [`p:${o.record.personId}`, `g:${o.record.groupId}`];
  if (o.entityType === 'person') return [];
  const record = o.record as { parentId?: string; termId?: string };
  return [record.parentId, record.termId].filter((k): k is string => Boolean(k)).map((k) => `g:${k}`);
}
const keyOf = (o: Operation): string | null =>
  o.entityType === 'membership' ? null : `${o.entityType === 'person' ? 'p' : 'g'}:${o.record.sourcedId}`;

/** The part of `plan` the selection lets through; the rest held. The plan's order is kept. */
export function restrictPlan(plan: SyncPlan, selection: ApprovalSelection): SyncPlan {
  const heldCreates = new Set<string>();
  const operations: Operation[] = [];
  const held: HeldOperation[] = [];
  // Upserts come parents first, so one pass sees a held parent before what needs it.
  for (const operation of plan.operations) {
    const needsHeld = operation.op === 'create' && needs(operation).some((k) => heldCreates.has(k));
    if (selected(selection, operation) && !needsHeld) {
      operations.push(operation);
      continue;
    }
    held.push({ operation, reason: NOT_APPROVED_REASON });
    const key = keyOf(operation);
    if (key && operation.op === 'create') heldCreates.add(key);
  }
  if (held.length === 0) return plan;
  const planId = createHasher().update(plan.planId).update(JSON.stringify(selection)).digest();
  return {
    ...plan,
    planId,
    operations,
    held: [...plan.held, ...held],
    notes: [...plan.notes, `${held.length} operation(s) not approved: held for a later run.`],
  };
}
