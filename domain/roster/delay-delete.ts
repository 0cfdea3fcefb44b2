/**
 * The delay-delete window (IMSE-6) as a plan step: while the window is open, every delete (and any
 * other removal, such as an archive, that a later step may plan) is kept back in `plan.held` with the
 * day the window ends; creates and updates still run. Something that returned to the source is not a
 * delete in the first place, so it is simply not held any more. Pure; the planner sorts the result.
 */
import { z } from 'zod';
import { isoDateSchema } from './model';
import type { Operation, SyncPlan } from './plan';

export const DELAY_DELETE_REASON = 'delay-delete';

export const delayDeleteWindowSchema = z
  .object({
    /** First day deletes are held. */
    start: isoDateSchema,
    /** The day the window closes: from this day on deletes go through (still via the safety filter). */
    end: isoDateSchema,
  })
  .refine((w) => w.start < w.end, { message: 'end must be after start' });
export type DelayDeleteWindow = z.infer<typeof delayDeleteWindowSchema>;

/** Whether the window holds deletes on `asOf` (ISO dates compare as text). */
export function delayDeleteActive(window: DelayDeleteWindow, asOf: string): boolean {
  return window.start <= asOf && asOf < window.end;
}

/** Creates and updates write; everything else takes something away and is held. */
const removes = (operation: Operation): boolean => operation.op !== 'create' && operation.op !== 'update';

/** A plan step (see `policy.ts`). */
export function holdDeletes(window: DelayDeleteWindow): (plan: SyncPlan) => SyncPlan {
  return (plan: SyncPlan): SyncPlan => {
    const held = plan.operations.filter(removes);
    if (held.length === 0) return plan;
    return {
      ...plan,
      operations: plan.operations.filter((o) => !removes(o)),
      held: [
        ...plan.held,
        ...held.map((operation) => ({ operation, reason: DELAY_DELETE_REASON, until: window.end })),
      ],
      notes: [
        ...plan.notes,
        `Delay-delete window ${window.start} to ${window.end}: ${held.length} delete(s) held until ${window.end}.`,
      ],
    };
  };
}
