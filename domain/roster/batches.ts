import { z } from 'zod';
import { hashOf } from './hash';
import { operationSchema, phaseOf, phases, type SyncPlan } from './plan';

/** Operations per import document; small enough for one request, large enough for throughput. */
export const DEFAULT_BATCH_SIZE = 1000;

export const batchSchema = z.object({
  planId: z.string().min(1),
  syncKeySource: z.string().min(1),
  index: z.number().int().min(0),
  /** Sent as the `Idempotency-Key`: the same batch of the same run is applied at most once. */
  idempotencyKey: z.string().min(1),
  phase: z.enum(phases),
  /** When the run made the documents; part of the document, so fixed per run (see {@link BatchOptions}). */
  createdAt: z.iso.datetime(),
  operations: z.array(operationSchema).min(1),
});
export type Batch = z.infer<typeof batchSchema>;

export interface BatchOptions {
  /**
   * Mixed into the idempotency keys. The plan id depends only on content, so a later run with the
   * same content (say, after someone undid the writes by hand) needs other keys, or the target
   * would answer from its idempotency cache and apply nothing.
   */
  runId?: string;
  /**
   * Written into each document's `<properties><datetime>`. Pass the run's start time: a batch
   * resent after a crash must be byte-identical, or the target refuses the reused key. Defaults
   * to the start of the plan's `asOf` day, or the epoch.
   */
  createdAt?: string;
}

/**
 * Cuts a plan into batches in apply order. A batch holds one phase only, so a document never
 * deletes a group before its memberships or adds a membership before its group. Pure and
 * deterministic: after a crash, the same plan gives the same batches and the same keys.
 */
export function batchPlan(
  plan: SyncPlan,
  batchSize: number = DEFAULT_BATCH_SIZE,
  options: BatchOptions = {},
): Batch[] {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const createdAt = options.createdAt ?? `${plan.asOf ?? '1970-01-01'}T00:00:00.000Z`;
  const batches: Batch[] = [];
  let current: Batch | undefined;
  for (const operation of plan.operations) {
    const phase = phaseOf(operation);
    if (!current || current.phase !== phase || current.operations.length >= batchSize) {
      const index = batches.length;
      current = {
        planId: plan.planId,
        syncKeySource: plan.syncKeySource,
        index,
        idempotencyKey: `roster-${hashOf(options.runId ?? '', plan.planId, String(index))}`,
        phase,
        createdAt,
        operations: [],
      };
      batches.push(current);
    }
    current.operations.push(operation);
  }
  return batches;
}
