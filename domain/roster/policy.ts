/**
 * The plan policy and its pipeline. A policy is data (it travels in workflow inputs); the pipeline
 * is the code the policy switches on. Year-end rules (IMSE-5..9) plug in here as steps, not as
 * changes to the diff: summer data is a source step (extra entities merged before the diff);
 * delay-delete, course archiving and term archiving are plan steps that move or rewrite operations.
 */
import { z } from 'zod';
import { archiveInsteadOfDelete } from './archiving';
import { delayDeleteActive, delayDeleteWindowSchema, holdDeletes } from './delay-delete';
import { isoDateSchema, type Roster } from './model';
import type { SyncPlan } from './plan';
import { mergeSummerData, summerDataActive, summerDataSchema } from './summer-data';
import type { TargetState } from './target';

export const planPolicySchema = z.object({
  /** The sync key source this integration writes under; the target's other entities are never touched. */
  syncKeySource: z.string().min(1),
  /** The day the plan is for (policies with date windows read it); the run's date by default. */
  asOf: isoDateSchema.optional(),
  /** IMSE-6: while `asOf` is inside the window, deletes are held. */
  delayDelete: delayDeleteWindowSchema.optional(),
  /** IMSE-7: extra entities merged into the source while `asOf` is inside their validity period. */
  summerData: summerDataSchema.optional(),
  /**
   * IMSE-8: a course that left the source is archived, not deleted; on unless `false` (per
   * integration). Terms are always archived (IMSE-9).
   */
  courseArchiving: z.boolean().optional(),
});
export type PlanPolicy = z.infer<typeof planPolicySchema>;

export interface PlanContext {
  readonly source: Roster;
  readonly target: TargetState;
  readonly policy: PlanPolicy;
}

/** Rewrites the source before the diff, e.g. merges summer classes so they are not deleted. */
export type SourceStep = (source: Roster, ctx: Omit<PlanContext, 'source'>) => Roster;

/**
 * Rewrites the diffed plan, e.g. moves deletes to `held`, or turns a course delete into an archive.
 * The planner sorts the result again and recomputes its id, so a step need not keep the order.
 */
export type PlanStep = (plan: SyncPlan, ctx: PlanContext) => SyncPlan;

export interface PlanPipeline {
  source: readonly SourceStep[];
  plan: readonly PlanStep[];
}

/**
 * The steps a policy turns on. IMSE-1..4 need the bare diff. Each year-end policy adds a field to
 * {@link planPolicySchema} and, when the field is set, its step here. Hold deletes comes last among
 * the plan steps, so whatever a step before it turns a delete into (an archive) is held too.
 */
export function pipelineFor(policy: PlanPolicy): PlanPipeline {
  const source: SourceStep[] = [];
  const plan: PlanStep[] = [];
  const asOf = policy.asOf;
  if (policy.summerData && asOf && summerDataActive(policy.summerData, asOf)) {
    source.push(mergeSummerData(policy.summerData));
  }
  plan.push(archiveInsteadOfDelete({ courses: policy.courseArchiving !== false }));
  if (policy.delayDelete && asOf && delayDeleteActive(policy.delayDelete, asOf)) {
    plan.push(holdDeletes(policy.delayDelete));
  }
  return { source, plan };
}
