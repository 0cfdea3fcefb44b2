/**
 * Fault switches of the InfoCaption and WinLas simulators: latency, the next N answers 5xx, 429 with
 * Retry-After, or a malformed 200 body, each for one route or for all of them. A fault answers instead
 * of the system, so nothing is processed, unless `afterProcessing` asks for a request that is processed
 * and then answered with an error (the lost-answer case).
 */
import { z } from 'zod';

const count = z.number().int().min(1);
/** A route name (see each simulator's `routeNames`) or `all`. */
const on = z.string().min(1).default('all');

export const faultSettingsSchema = z.object({
  latencyMs: z.number().int().min(0).max(60_000).nullable().optional(),
  /** Which route the latency slows; every route when omitted. */
  latencyOn: z.string().min(1).nullable().optional(),
  failNext: z
    .object({
      count,
      status: z.union([z.literal(500), z.literal(502), z.literal(503)]).default(503),
      on,
      afterProcessing: z.boolean().default(false),
    })
    .nullable()
    .optional(),
  rateLimitNext: z
    .object({ count, retryAfterSeconds: z.number().int().min(0).default(1), on })
    .nullable()
    .optional(),
  malformedNext: z.object({ count, on }).nullable().optional(),
});

export type FaultSettings = z.input<typeof faultSettingsSchema>;
type Parsed = z.output<typeof faultSettingsSchema>;

export type Fault =
  | { kind: 'fail'; status: number; afterProcessing: boolean }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'malformed' };

export class FaultSwitches {
  #latencyMs = 0;
  #latencyOn: string | undefined;
  #failNext: NonNullable<Parsed['failNext']> | undefined;
  #rateLimitNext: NonNullable<Parsed['rateLimitNext']> | undefined;
  #malformedNext: NonNullable<Parsed['malformedNext']> | undefined;

  /** Each given switch replaces the current one; `null` turns it off; omitted switches stay. */
  set(input: FaultSettings): FaultSettings {
    const s = faultSettingsSchema.parse(input);
    if (s.latencyMs !== undefined) this.#latencyMs = s.latencyMs ?? 0;
    if (s.latencyOn !== undefined) this.#latencyOn = s.latencyOn ?? undefined;
    if (s.failNext !== undefined) this.#failNext = s.failNext ?? undefined;
    if (s.rateLimitNext !== undefined) this.#rateLimitNext = s.rateLimitNext ?? undefined;
    if (s.malformedNext !== undefined) this.#malformedNext = s.malformedNext ?? undefined;
    return this.current();
  }

  latencyFor(route: string): number {
    return this.#latencyOn === undefined || this.#latencyOn === route ? this.#latencyMs : 0;
  }

  /** The fault for this request, if any; each one taken counts down its switch. */
  take(route: string): Fault | undefined {
    if (hits(this.#rateLimitNext, route)) {
      const { retryAfterSeconds } = this.#rateLimitNext;
      this.#rateLimitNext = countDown(this.#rateLimitNext);
      return { kind: 'rate-limit', retryAfterSeconds };
    }
    if (hits(this.#failNext, route)) {
      const { status, afterProcessing } = this.#failNext;
      this.#failNext = countDown(this.#failNext);
      return { kind: 'fail', status, afterProcessing };
    }
    if (hits(this.#malformedNext, route)) {
      this.#malformedNext = countDown(this.#malformedNext);
      return { kind: 'malformed' };
    }
    return undefined;
  }

  current(): FaultSettings {
    return {
      latencyMs: this.#latencyMs,
      latencyOn: this.#latencyOn ?? null,
      failNext: this.#failNext ?? null,
      rateLimitNext: this.#rateLimitNext ?? null,
      malformedNext: this.#malformedNext ?? null,
    };
  }

  reset(): void {
    this.#latencyMs = 0;
    this.#latencyOn = undefined;
    this.#failNext = this.#rateLimitNext = this.#malformedNext = undefined;
  }
}

function hits<T extends { on: string }>(fault: T | undefined, route: string): fault is T {
  return fault !== undefined && (fault.on === 'all' || fault.on === route);
}

function countDown<T extends { count: number }>(fault: T): T | undefined {
  return fault.count > 1 ? { ...fault, count: fault.count - 1 } : undefined;
}
