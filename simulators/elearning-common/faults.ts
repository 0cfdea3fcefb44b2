import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

export const faultSettingsSchema = z.object({
  /** Delay before every non-admin answer. */
  latencyMs: z.number().int().min(0).default(0),
  /** The next N non-admin requests answer `failStatus`. */
  failNext: z.number().int().min(0).default(0),
  failStatus: z.number().int().min(500).max(599).default(503),
  /** The next N non-admin requests answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext: z.number().int().min(0).default(0),
  retryAfterSeconds: z.number().int().min(0).default(1),
  /** The next N non-admin answers are cut off half-way (invalid JSON). */
  malformedNext: z.number().int().min(0).default(0),
});

export type FaultSettings = z.output<typeof faultSettingsSchema>;

/** Fault switches shared by the e-learning simulators; admin routes (`/__admin/...`) are never affected. */
export class Faults {
  settings: FaultSettings = faultSettingsSchema.parse({});

  set(patch: Partial<FaultSettings>): FaultSettings {
    this.settings = faultSettingsSchema.parse({ ...this.settings, ...patch });
    return this.settings;
  }

  reset(): void {
    this.settings = faultSettingsSchema.parse({});
  }

  /** Consumes one unit of a countdown switch; true when the fault applies to this request. */
  take(key: 'failNext' | 'rateLimitNext' | 'malformedNext'): boolean {
    if (this.settings[key] <= 0) return false;
    this.settings = { ...this.settings, [key]: this.settings[key] - 1 };
    return true;
  }
}

const isAdmin = (url: string): boolean => url.startsWith('/__admin');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Applies the fault switches to every request and adds `POST/DELETE /__admin/faults`. */
export function registerFaults(app: FastifyInstance, faults: Faults): void {
  app.addHook('onRequest', async (request, reply) => {
    if (isAdmin(request.url)) return;
    if (faults.settings.latencyMs > 0) await sleep(faults.settings.latencyMs);
    if (faults.take('failNext')) {
      return reply.code(faults.settings.failStatus).type('text/html').send('<h1>Service Unavailable</h1>');
    }
    if (faults.take('rateLimitNext')) {
      return reply
        .code(429)
        .header('retry-after', String(faults.settings.retryAfterSeconds))
        .send({ error: 'too many requests' });
    }
    if (faults.take('malformedNext')) request.malformedAnswer = true;
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    if (!request.malformedAnswer || typeof payload !== 'string') return payload;
    return payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
  });
  app.post('/__admin/faults', async (request) =>
    faults.set(faultSettingsSchema.partial().parse(request.body)),
  );
  app.delete('/__admin/faults', async () => {
    faults.reset();
    return faults.settings;
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    malformedAnswer?: boolean;
  }
}
