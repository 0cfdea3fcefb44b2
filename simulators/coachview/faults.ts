/**
 * Fault switches: latency, the next N answers 5xx, 429 with Retry-After, or a malformed 200 body.
 * A fault answers instead of Coachview, so nothing is processed, unless `afterProcessing` asks for a
 * push that is processed and then answered with an error (the lost-answer case).
 */
import { z } from 'zod';

/** Which part of Coachview a fault hits: the result push, the REST API (not the token endpoint), or both. */
export const faultSurfaces = ['push', 'api', 'all'] as const;
export type FaultSurface = Exclude<(typeof faultSurfaces)[number], 'all'>;

const count = z.number().int().min(1);
const on = z.enum(faultSurfaces).default('all');

export const faultSettingsSchema = z.object({
  latencyMs: z.number().int().min(0).max(60_000).nullable().optional(),
  failNext: z
    .object({
      count,
      status: z.union([z.literal(500), z.literal(503)]),
      on,
      afterProcessing: z.boolean().default(false),
    })
    .nullable()
    .optional(),
  rateLimitNext: z
    .object({ count, retryAfterSeconds: z.number().int().min(0), on })
    .nullable()
    .optional(),
  malformedNext: z.object({ count, on }).nullable().optional(),
});

export type FaultSettings = z.input<typeof faultSettingsSchema>;
type Parsed = z.output<typeof faultSettingsSchema>;

export type Fault =
  | { kind: 'fail'; status: 500 | 503; afterProcessing: boolean }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'malformed' };

export class FaultSwitches {
  #latencyMs = 0;
  #failNext: NonNullable<Parsed['failNext']> | undefined;
  #rateLimitNext: NonNullable<Parsed['rateLimitNext']> | undefined;
  #malformedNext: NonNullable<Parsed['malformedNext']> | undefined;

  /** Each given switch replaces the current one; `null` turns it off; omitted switches stay. */
  set(input: FaultSettings): void {
    const s = faultSettingsSchema.parse(input);
    if (s.latencyMs !== undefined) this.#latencyMs = s.latencyMs ?? 0;
    if (s.failNext !== undefined) this.#failNext = s.failNext ?? undefined;
    if (s.rateLimitNext !== undefined) this.#rateLimitNext = s.rateLimitNext ?? undefined;
    if (s.malformedNext !== undefined) this.#malformedNext = s.malformedNext ?? undefined;
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  /** The fault for this request, if any; each one taken counts down its switch. */
  take(surface: FaultSurface): Fault | undefined {
    if (hits(this.#rateLimitNext, surface)) {
      const { retryAfterSeconds } = this.#rateLimitNext;
      this.#rateLimitNext = countDown(this.#rateLimitNext);
      return { kind: 'rate-limit', retryAfterSeconds };
    }
    if (hits(this.#failNext, surface)) {
      const { status, afterProcessing } = this.#failNext;
      this.#failNext = countDown(this.#failNext);
      return { kind: 'fail', status, afterProcessing };
    }
    if (hits(this.#malformedNext, surface)) {
      this.#malformedNext = countDown(this.#malformedNext);
      return { kind: 'malformed' };
    }
    return undefined;
  }

  current(): FaultSettings {
    return {
      latencyMs: this.#latencyMs,
      failNext: this.#failNext ?? null,
      rateLimitNext: this.#rateLimitNext ?? null,
      malformedNext: this.#malformedNext ?? null,
    };
  }

  reset(): void {
    this.#latencyMs = 0;
    this.#failNext = this.#rateLimitNext = this.#malformedNext = undefined;
  }
}

function hits<T extends { on: string }>(fault: T | undefined, surface: FaultSurface): fault is T {
  return fault !== undefined && (fault.on === 'all' || fault.on === surface);
}

function countDown<T extends { count: number }>(fault: T): T | undefined {
  return fault.count > 1 ? { ...fault, count: fault.count - 1 } : undefined;
}
