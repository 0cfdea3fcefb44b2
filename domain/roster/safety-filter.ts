/**
 * The safety filter (IMSE-3): an import that would delete or change too much compared with the
 * previous import stops before any write. Pure and free of Node imports, so a workflow may call it.
 */
import { z } from 'zod';
import { entityTypes, type EntityType } from './model';
import type { EntityCounts, PlanSummary } from './summary';

const limitSchema = z.object({
  /** Most operations allowed; `null` = no absolute limit. */
  max: z.number().int().min(0).nullable(),
  /** Largest share of the previous import's size (0.1 = 10 %); `null` = no share limit. */
  maxShare: z.number().min(0).nullable(),
});
export type Limit = z.infer<typeof limitSchema>;

export const typeLimitsSchema = z.object({ deletes: limitSchema, changes: limitSchema });
export type TypeLimits = z.infer<typeof typeLimitsSchema>;

/**
 * Defaults, to be tuned per site. Sized for a municipality (about 55,000 persons, 400,000
 * memberships): a normal day passes, the change of school year trips and waits for an operator.
 */
export const defaultTypeLimits: Record<EntityType, TypeLimits> = {
  person: { deletes: { max: 1000, maxShare: 0.1 }, changes: { max: 5000, maxShare: 0.3 } },
  unit: { deletes: { max: 10, maxShare: 0.1 }, changes: { max: 50, maxShare: 0.3 } },
  class: { deletes: { max: 100, maxShare: 0.15 }, changes: { max: 500, maxShare: 0.3 } },
  'teaching-group': { deletes: { max: 400, maxShare: 0.15 }, changes: { max: 2000, maxShare: 0.3 } },
  course: { deletes: { max: 200, maxShare: 0.15 }, changes: { max: 1000, maxShare: 0.3 } },
  term: { deletes: { max: 10, maxShare: 0.6 }, changes: { max: 20, maxShare: 0.6 } },
  membership: { deletes: { max: 20000, maxShare: 0.15 }, changes: { max: 20000, maxShare: 0.3 } },
};

const typeLimitsInput = z.object({
  deletes: limitSchema.partial().optional(),
  changes: limitSchema.partial().optional(),
});

/**
 * Thresholds as configured: anything left out takes its default, and the filter is on unless
 * `enabled: false` is given. Parsing `{}` gives the defaults.
 */
export const safetyThresholdsSchema = z
  .object({
    enabled: z.boolean().default(true),
    perType: z.partialRecord(z.enum(entityTypes), typeLimitsInput).default({}),
  })
  .transform(({ enabled, perType }) => ({
    enabled,
    perType: Object.fromEntries(
      entityTypes.map((type) => {
        const given = perType[type];
        const base = defaultTypeLimits[type];
        return [
          type,
          {
            deletes: { ...base.deletes, ...given?.deletes },
            changes: { ...base.changes, ...given?.changes },
          },
        ];
      }),
    ) as Record<EntityType, TypeLimits>,
  }));
export type SafetyThresholdsInput = z.input<typeof safetyThresholdsSchema>;
export type SafetyThresholds = z.output<typeof safetyThresholdsSchema>;

export const safetyViolationSchema = z.object({
  entityType: z.enum(entityTypes),
  kind: z.enum(['deletes', 'changes']),
  count: z.number().int().min(0),
  limit: z.number().int().min(0).nullable(),
  /** count / previous import size; `null` when there was no previous import of this type. */
  share: z.number().min(0).nullable(),
  shareLimit: z.number().min(0).nullable(),
  exceeded: z.array(z.enum(['absolute', 'share'])).min(1),
});
export type SafetyViolation = z.infer<typeof safetyViolationSchema>;

export const safetyVerdictSchema = z.object({
  enabled: z.boolean(),
  tripped: z.boolean(),
  violations: z.array(safetyViolationSchema),
});
export type SafetyVerdict = z.infer<typeof safetyVerdictSchema>;

function check(
  entityType: EntityType,
  kind: SafetyViolation['kind'],
  count: number,
  previous: number | undefined,
  limit: Limit,
): SafetyViolation | undefined {
  const share = previous !== undefined && previous > 0 ? count / previous : null;
  const exceeded: SafetyViolation['exceeded'] = [];
  if (limit.max !== null && count > limit.max) exceeded.push('absolute');
  if (limit.maxShare !== null && share !== null && share > limit.maxShare) exceeded.push('share');
  if (exceeded.length === 0) return undefined;
  return { entityType, kind, count, limit: limit.max, share, shareLimit: limit.maxShare, exceeded };
}

/**
 * Checks a plan's counts against the thresholds. "Deletes" counts deletes; "changes" counts
 * updates and archives (IMSE-8/9: reversible, but a course leaves everyone's start page) of existing entities. Creates are not limited: they take nothing away, and a first
 * import is all creates. Share limits apply only when the previous import had entities of the type.
 */
export function evaluateSafetyFilter(
  summary: PlanSummary,
  previousImportCounts: EntityCounts,
  thresholds: SafetyThresholds,
): SafetyVerdict {
  if (!thresholds.enabled) return { enabled: false, tripped: false, violations: [] };
  const violations: SafetyViolation[] = [];
  for (const type of entityTypes) {
    const counts = summary.byType[type];
    if (!counts) continue;
    const limits = thresholds.perType[type];
    const previous = previousImportCounts[type];
    const deletes = check(type, 'deletes', counts.delete, previous, limits.deletes);
    const changes = check(type, 'changes', counts.update + (counts.archive ?? 0), previous, limits.changes);
    if (deletes) violations.push(deletes);
    if (changes) violations.push(changes);
  }
  return { enabled: true, tripped: violations.length > 0, violations };
}
