import { z } from 'zod';
import { entityTypes, type EntityType, type Roster } from './model';
import type { SyncPlan } from './plan';
import type { TargetState } from './target';

const count = z.number().int().min(0);
export const operationCountsSchema = z.object({
  create: count,
  update: count,
  delete: count,
  held: count,
  /** Courses and terms archived instead of deleted (IMSE-8/9); present only when there are some. */
  archive: count.optional(),
});
export type OperationCounts = z.infer<typeof operationCountsSchema>;

/** Small enough for workflow history: counts only, never records. */
export const planSummarySchema = z.object({
  planId: z.string(),
  byType: z.record(z.enum(entityTypes), operationCountsSchema),
  totals: operationCountsSchema,
  skipped: count,
});
export type PlanSummary = z.infer<typeof planSummarySchema>;

/** Sizes per entity type, e.g. of the previous import, for the safety filter's shares. */
export const entityCountsSchema = z.partialRecord(z.enum(entityTypes), count);
export type EntityCounts = z.infer<typeof entityCountsSchema>;

const zeroCounts = (): OperationCounts => ({ create: 0, update: 0, delete: 0, held: 0 });

export function summarizePlan(plan: SyncPlan): PlanSummary {
  const byType = Object.fromEntries(entityTypes.map((t) => [t, zeroCounts()])) as Record<
    EntityType,
    OperationCounts
  >;
  const totals = zeroCounts();
  for (const operation of plan.operations) {
    const type = byType[operation.entityType];
    type[operation.op] = (type[operation.op] ?? 0) + 1;
    totals[operation.op] = (totals[operation.op] ?? 0) + 1;
  }
  for (const { operation } of plan.held) {
    byType[operation.entityType].held++;
    totals.held++;
  }
  return { planId: plan.planId, byType, totals, skipped: plan.skipped.length };
}

/** True when the plan writes nothing. */
export function isEmptyPlan(summary: PlanSummary): boolean {
  const t = summary.totals;
  return t.create + t.update + t.delete + (t.archive ?? 0) === 0;
}

/**
 * How many entities of each type the target holds under the sync key source: the size of what
 * earlier imports left, the base of the safety filter's shares.
 */
export function countSynced(target: TargetState, syncKeySource: string): EntityCounts {
  const counts: Record<EntityType, number> = Object.fromEntries(entityTypes.map((t) => [t, 0])) as Record<
    EntityType,
    number
  >;
  const ours = (e: { syncSource: string | null }): boolean => e.syncSource === syncKeySource;
  counts.person = target.persons.filter(ours).length;
  counts.unit = target.units.filter(ours).length;
  for (const group of target.groups) if (ours(group)) counts[group.kind]++;
  counts.membership = target.memberships.filter(ours).length;
  return counts;
}

/** Sizes per entity type of a roster, e.g. the one an import sent. */
export function countRoster(roster: Roster): EntityCounts {
  const counts: Record<EntityType, number> = Object.fromEntries(entityTypes.map((t) => [t, 0])) as Record<
    EntityType,
    number
  >;
  counts.person = roster.persons.length;
  counts.unit = roster.units.length;
  for (const group of roster.groups) counts[group.kind]++;
  counts.membership = roster.memberships.length;
  return counts;
}
