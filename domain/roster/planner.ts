import { diffRoster } from './diff';
import type { Roster } from './model';
import { sortHeld, sortOperations, sortSkipped, unitDepths } from './ordering';
import type { SyncPlan } from './plan';
import { planIdOf } from './plan-id';
import { pipelineFor, type PlanContext, type PlanPipeline, type PlanPolicy } from './policy';
import type { TargetState } from './target';

/**
 * Plans the writes that make the target equal to the source (IMSE-1). Pure: reads its arguments,
 * writes nothing, so any date's plan can be previewed (IMSE-10). Target entities without the
 * policy's sync key source are never in the plan (IMSE-2); a source entity that collides with one
 * is listed in `skipped`. The same inputs always give the same plan, in the same order, with the
 * same `planId`.
 *
 * @throws RosterIntegrityError when the source names one sync key twice.
 */
export function planSync(
  source: Roster,
  target: TargetState,
  policy: PlanPolicy,
  pipeline: PlanPipeline = pipelineFor(policy),
): SyncPlan {
  const effectiveSource = pipeline.source.reduce((roster, step) => step(roster, { target, policy }), source);
  const ctx: PlanContext = { source: effectiveSource, target, policy };
  const diff = diffRoster(effectiveSource, target, policy.syncKeySource);
  const draft: SyncPlan = {
    planId: '',
    syncKeySource: policy.syncKeySource,
    ...(policy.asOf ? { asOf: policy.asOf } : {}),
    operations: diff.operations,
    held: [],
    skipped: diff.skipped,
    notes: [],
  };
  const transformed = pipeline.plan.reduce((plan, step) => step(plan, ctx), draft);
  return finalizePlan(transformed, ctx);
}

function finalizePlan(plan: SyncPlan, ctx: PlanContext): SyncPlan {
  const sourceDepths = unitDepths(ctx.source.units);
  const targetDepths = unitDepths(ctx.target.units);
  const operations = sortOperations(plan.operations, sourceDepths, targetDepths);
  const held = sortHeld(plan.held, sourceDepths, targetDepths);
  const skipped = sortSkipped(plan.skipped);
  // Digested in the order the operations were made (the id does not depend on it): cheaper to walk.
  return { ...plan, planId: planIdOf(plan), operations, held, skipped };
}
