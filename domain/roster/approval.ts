/**
 * A stale approval (IMSE-11): an operator approves a plan, then the run plans again against fresh
 * source and target. The fresh plan is applied only when it stays within what was approved. Pure and
 * free of Node imports; it compares two plans the activity reads from the store.
 *
 * "Within" means, per entity type:
 * - no operation kind (create, update, delete) has more operations than the approved plan had, and
 * - every delete in the fresh plan was a delete in the approved plan (the same entity key).
 * Deletes are what an operator cannot take back (itslearning drops the person's or course's data
 * with it), so they are checked by key: fewer deletes of the same entities is safe, one other entity
 * is not. Creates and updates are checked by count: the next run corrects them, and fewer of them is
 * what happens when the source settles. Held operations write nothing and are not compared.
 */
import { z } from 'zod';
import { entityTypes, type EntityType } from './model';
import { operationKey, operationKinds, type SyncPlan } from './plan';

const count = z.number().int().min(0);

export const planChangeSchema = z.object({
  entityType: z.enum(entityTypes),
  op: z.enum(operationKinds),
  approved: count,
  now: count,
});
/** One entity type and operation whose count differs between the approved and the fresh plan. */
export type PlanChange = z.infer<typeof planChangeSchema>;

export const approvalCheckSchema = z.object({
  within: z.boolean(),
  /** Every count that differs, before (approved) and now, exceeded or not. */
  changes: z.array(planChangeSchema),
  /** Per entity type: deletes in the fresh plan that the approved plan did not delete. Counts only. */
  unapprovedDeletes: z.partialRecord(z.enum(entityTypes), count),
});
export type ApprovalCheck = z.infer<typeof approvalCheckSchema>;

type Counts = Record<EntityType, Record<(typeof operationKinds)[number], number>>;

function countsOf(plan: SyncPlan): Counts {
  const counts = Object.fromEntries(
    entityTypes.map((t) => [t, { create: 0, update: 0, delete: 0, archive: 0 }]),
  ) as Counts;
  for (const operation of plan.operations) counts[operation.entityType][operation.op]++;
  return counts;
}

const deleteKeys = (plan: SyncPlan): Set<string> =>
  new Set(
    plan.operations.filter((o) => o.op === 'delete').map((o) => `${o.entityType}\u0000${operationKey(o)}`),
  );

/** Whether `fresh` stays within `approved`, and what changed between them. */
export function checkAgainstApproval(approved: SyncPlan, fresh: SyncPlan): ApprovalCheck {
  const before = countsOf(approved);
  const now = countsOf(fresh);
  const changes: PlanChange[] = [];
  let within = true;
  for (const entityType of entityTypes) {
    for (const op of operationKinds) {
      const a = before[entityType][op];
      const n = now[entityType][op];
      if (a !== n) changes.push({ entityType, op, approved: a, now: n });
      if (n > a) within = false;
    }
  }
  const approvedDeletes = deleteKeys(approved);
  const unapprovedDeletes: ApprovalCheck['unapprovedDeletes'] = {};
  for (const operation of fresh.operations) {
    if (operation.op !== 'delete') continue;
    if (approvedDeletes.has(`${operation.entityType}\u0000${operationKey(operation)}`)) continue;
    unapprovedDeletes[operation.entityType] = (unapprovedDeletes[operation.entityType] ?? 0) + 1;
    within = false;
  }
  return { within, changes, unapprovedDeletes };
}
