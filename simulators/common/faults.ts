/**
 * The fault switches of every simulator: a latency, and the next N answers failing with a 5xx, refused
 * with 429 and Retry-After, or carrying a malformed body. A fault answers instead of the system, so
 * nothing is processed, unless `afterProcessing` asks for a request that is processed and then answered
 * with an error (the lost-answer case).
 *
 * Each simulator's admin API keeps the form it has always taken:
 * - {@link FaultSwitches} (Coachview, InfoCaption, WinLas): one object a switch, `{ count, on, ... }`,
 *   aimed at one route or surface (`on`) or at `all`; `null` turns a switch off.
 * - {@link FaultCounters} (Moodle, Ilias, aNewSpring, itslearning, Praktikportalen, WISEflow): flat
 *   counters for every request, `{ latencyMs, failNext, failStatus, rateLimitNext, malformedNext, ... }`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';

export type FaultKind = 'fail' | 'rate-limit' | 'malformed';

export type Fault =
  | { kind: 'fail'; status: number; afterProcessing: boolean }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'malformed' };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const latencySchema = z.number().int().min(0).max(60_000);
const count = z.number().int().min(1);

export interface FaultSwitchOptions {
  /** The names `on` may take besides `all`; any name when omitted. */
  targets?: readonly string[];
  /** The statuses `failNext` may answer (default 500, 502 and 503). */
  failStatuses?: readonly number[];
  /** `failNext.status` and `rateLimitNext.retryAfterSeconds` must be given (else 503 and 1 s). */
  requireValues?: boolean;
  /** Whether `latencyOn` may slow one target only (default true); else it is ignored. */
  perTargetLatency?: boolean;
}

function switchSchema({
  targets,
  failStatuses = [500, 502, 503],
  requireValues = false,
  perTargetLatency = true,
}: FaultSwitchOptions) {
  const on = (targets ? z.enum(['all', ...targets] as [string, ...string[]]) : z.string().min(1)).default(
    'all',
  );
  const status = z.literal(failStatuses as number[]);
  const retryAfterSeconds = z.number().int().min(0);
  return z.object({
    latencyMs: latencySchema.nullable().optional(),
    /** Which target the latency slows; every one when omitted. */
    latencyOn: perTargetLatency
      ? z.string().min(1).nullable().optional()
      : z
          .unknown()
          .transform(() => undefined)
          .optional(),
    failNext: z
      .object({
        count,
        status: requireValues ? status : status.default(503),
        on,
        afterProcessing: z.boolean().default(false),
      })
      .nullable()
      .optional(),
    rateLimitNext: z
      .object({
        count,
        retryAfterSeconds: requireValues ? retryAfterSeconds : retryAfterSeconds.default(1),
        on,
      })
      .nullable()
      .optional(),
    malformedNext: z.object({ count, on }).nullable().optional(),
  });
}

/** What `FaultSwitches.set` takes; the simulator's options decide which values it accepts. */
export interface FaultSettings {
  latencyMs?: number | null;
  latencyOn?: string | null;
  failNext?: { count: number; status?: number; on?: string; afterProcessing?: boolean } | null;
  rateLimitNext?: { count: number; retryAfterSeconds?: number; on?: string } | null;
  malformedNext?: { count: number; on?: string } | null;
}

interface Switch {
  count: number;
  on: string;
}

export class FaultSwitches {
  readonly #schema: ReturnType<typeof switchSchema>;
  readonly #perTargetLatency: boolean;
  #latencyMs = 0;
  #latencyOn: string | undefined;
  #failNext: (Switch & { status: number; afterProcessing: boolean }) | undefined;
  #rateLimitNext: (Switch & { retryAfterSeconds: number }) | undefined;
  #malformedNext: Switch | undefined;

  constructor(opts: FaultSwitchOptions = {}) {
    this.#schema = switchSchema(opts);
    this.#perTargetLatency = opts.perTargetLatency ?? true;
  }

  /** Each given switch replaces the current one; `null` turns it off; omitted switches stay. */
  set(input: FaultSettings): FaultSettings {
    const s = this.#schema.parse(input);
    if (s.latencyMs !== undefined) this.#latencyMs = s.latencyMs ?? 0;
    if (s.latencyOn !== undefined) this.#latencyOn = s.latencyOn ?? undefined;
    if (s.failNext !== undefined) this.#failNext = s.failNext ?? undefined;
    if (s.rateLimitNext !== undefined) this.#rateLimitNext = s.rateLimitNext ?? undefined;
    if (s.malformedNext !== undefined) this.#malformedNext = s.malformedNext ?? undefined;
    return this.current();
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  latencyFor(target: string): number {
    return this.#latencyOn === undefined || this.#latencyOn === target ? this.#latencyMs : 0;
  }

  /** The fault for this request, if any (a 429 first, then a failure, then a malformed body). */
  take(target: string): Fault | undefined {
    return (
      this.#takeKind('rate-limit', target) ??
      this.#takeKind('fail', target) ??
      this.#takeKind('malformed', target)
    );
  }

  /** A fault of one kind if its switch is on for this target; each one taken counts it down. */
  #takeKind(kind: FaultKind, target: string): Fault | undefined {
    switch (kind) {
      case 'rate-limit': {
        if (!hits(this.#rateLimitNext, target)) return undefined;
        const { retryAfterSeconds } = this.#rateLimitNext;
        this.#rateLimitNext = countDown(this.#rateLimitNext);
        return { kind, retryAfterSeconds };
      }
      case 'fail': {
        if (!hits(this.#failNext, target)) return undefined;
        const { status, afterProcessing } = this.#failNext;
        this.#failNext = countDown(this.#failNext);
        return { kind, status, afterProcessing };
      }
      case 'malformed': {
        if (!hits(this.#malformedNext, target)) return undefined;
        this.#malformedNext = countDown(this.#malformedNext);
        return { kind };
      }
    }
  }

  current(): FaultSettings {
    return {
      latencyMs: this.#latencyMs,
      ...(this.#perTargetLatency ? { latencyOn: this.#latencyOn ?? null } : {}),
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

function hits<T extends Switch>(fault: T | undefined, target: string): fault is T {
  return fault !== undefined && (fault.on === 'all' || fault.on === target);
}

function countDown<T extends Switch>(fault: T): T | undefined {
  return fault.count > 1 ? { ...fault, count: fault.count - 1 } : undefined;
}

const counterFields = {
  /** Delay before every answer the faults apply to. */
  latencyMs: z.number().int().min(0).default(0),
  /** The next N requests answer `failStatus`. */
  failNext: z.number().int().min(0).default(0),
  failStatus: z.number().int().min(500).max(599).default(503),
  /** The next N requests answer 429. */
  rateLimitNext: z.number().int().min(0).default(0),
  /** The next N answers are cut off half-way (invalid JSON). */
  malformedNext: z.number().int().min(0).default(0),
};
type CounterFields = typeof counterFields;
type Settings<Extra extends z.ZodRawShape> = z.output<z.ZodObject<CounterFields>> &
  z.output<z.ZodObject<Extra>>;
const counterKeys = { fail: 'failNext', 'rate-limit': 'rateLimitNext', malformed: 'malformedNext' } as const;

/**
 * The flat form: counters that every request the faults apply to counts down. `extra` adds what a
 * simulator sets beside them (how long a 429 says to wait, or which window of its own limiter it spends).
 */
export class FaultCounters<Extra extends z.ZodRawShape = Record<never, never>> {
  readonly schema: z.ZodObject<CounterFields & Extra>;
  settings: Settings<Extra>;

  constructor(extra: Extra = {} as Extra) {
    this.schema = z.object({ ...counterFields, ...extra }) as z.ZodObject<CounterFields & Extra>;
    this.settings = this.#parse({});
  }

  #parse(input: unknown): Settings<Extra> {
    return this.schema.parse(input) as Settings<Extra>;
  }

  /** Merges the given settings into the current ones. */
  set(patch: Partial<z.input<z.ZodObject<CounterFields & Extra>>>): Settings<Extra> {
    this.settings = this.#parse({ ...this.settings, ...patch });
    return this.settings;
  }

  reset(): void {
    this.settings = this.#parse({});
  }

  /** Consumes one unit of a countdown; true when the fault applies to this request. */
  take(kind: FaultKind): boolean {
    const key = counterKeys[kind];
    const left: number = this.settings[key];
    if (left <= 0) return false;
    this.settings = { ...this.settings, [key]: left - 1 };
    return true;
  }
}

/** A failure answered as a proxy in front of the system would: an HTML page, not the system's JSON. */
export function answerFailure(reply: FastifyReply, status: number): FastifyReply {
  return reply.code(status).type('text/html').send('<h1>Service Unavailable</h1>');
}

export interface FaultAnswers {
  /** The body of a malformed 200 answer: cut-off JSON, as a proxy that drops the connection half-way might leave it. */
  malformedBody: string;
  /** How a failure is answered; {@link answerFailure} when omitted. */
  fail?: (reply: FastifyReply, status: number) => FastifyReply;
}

/** Sends the answer a fault stands for, instead of the system's. */
export function answerFault(reply: FastifyReply, fault: Fault, answers: FaultAnswers): FastifyReply {
  switch (fault.kind) {
    case 'fail':
      return (answers.fail ?? answerFailure)(reply, fault.status);
    case 'rate-limit':
      return reply
        .code(429)
        .header('retry-after', String(fault.retryAfterSeconds))
        .send({ error: 'Too Many Requests' });
    case 'malformed':
      return reply.code(200).type('application/json').send(answers.malformedBody);
  }
}

/** Cuts the answer of each request marked `malformedAnswer` off half-way. */
export function registerMalformedAnswers(app: FastifyInstance): void {
  app.addHook('onSend', async (request, _reply, payload) => {
    if (!request.malformedAnswer || typeof payload !== 'string') return payload;
    return payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
  });
}

/** How long the 429 of `rateLimitNext` says to wait. */
const retryAfterField = { retryAfterSeconds: z.number().int().min(0).default(1) };
/** The counters of the e-learning simulators, itslearning and Praktikportalen. */
export type RequestFaults = FaultCounters<typeof retryAfterField>;

/**
 * Fault counters on every request but the admin ones (`/__admin/...`), with `POST/DELETE
 * /__admin/faults`; a POST sets every counter it omits back to its default.
 */
export function registerRequestFaults(app: FastifyInstance): RequestFaults {
  const faults = new FaultCounters(retryAfterField);
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/__admin')) return;
    if (faults.settings.latencyMs > 0) await sleep(faults.settings.latencyMs);
    if (faults.take('fail')) return answerFailure(reply, faults.settings.failStatus);
    if (faults.take('rate-limit')) {
      return reply
        .code(429)
        .header('retry-after', String(faults.settings.retryAfterSeconds))
        .send({ error: 'too many requests' });
    }
    if (faults.take('malformed')) request.malformedAnswer = true;
  });
  registerMalformedAnswers(app);
  app.post('/__admin/faults', async (request) => faults.set(faults.schema.partial().parse(request.body)));
  app.delete('/__admin/faults', async () => {
    faults.reset();
    return faults.settings;
  });
  return faults;
}

declare module 'fastify' {
  interface FastifyRequest {
    malformedAnswer?: boolean;
  }
}
