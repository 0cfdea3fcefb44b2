/**
 * The admin controls InfoCaption and WinLas share: the fault switches, the per-second limit, the
 * request counters and a reset, both as routes under `/__admin` and as methods on the handle a test
 * or the stack gets back.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FaultSwitches, type FaultSettings } from '../common/faults';
import { PerSecondLimit } from './rate-limit';
import { RequestCounters } from './usage';

/** What `usage()` and `GET /__admin/usage` answer (a simulator may add its own counts in front). */
export interface RequestUsage {
  requests: ReturnType<RequestCounters['snapshot']>;
  rateLimit: ReturnType<PerSecondLimit['stats']>;
}

export interface SimulatorControls<Usage extends RequestUsage> {
  faults(settings: FaultSettings): FaultSettings;
  /** Requests a second; null for no limit. */
  setRateLimit(perSecond: number | null): void;
  usage(): Usage;
  resetUsage(): void;
  /** Clears state, faults and counters (the rate limit stays as configured). */
  reset(): void;
}

export interface ControlOptions<Extra> {
  now: () => number;
  /** Requests a second the API answers before 429; null for none. */
  perSecond: number | null;
  /** Counts of the simulator's own, answered before the request counts. */
  extraUsage?: () => Extra;
  /** Clears the simulator's own state (data, tokens). */
  resetState(): void;
}

export interface AdminControls<Usage extends RequestUsage> {
  /** For the API's guard (guardApi). */
  faults: FaultSwitches;
  limit: PerSecondLimit;
  counters: RequestCounters;
  /** The handle's control methods. */
  handle: SimulatorControls<Usage>;
  /** `GET/POST/DELETE /faults`, `POST /rate-limit`, `GET /usage`, `POST /usage/reset`, `POST /reset`. */
  registerRoutes(admin: FastifyInstance): void;
}

export function adminControls<Extra extends object = Record<never, never>>(
  opts: ControlOptions<Extra>,
): AdminControls<Extra & RequestUsage> {
  const faults = new FaultSwitches();
  const limit = new PerSecondLimit(opts.perSecond, opts.now);
  const counters = new RequestCounters(opts.now);
  const handle: SimulatorControls<Extra & RequestUsage> = {
    faults: (settings) => faults.set(settings),
    setRateLimit: (perSecond) => {
      limit.perSecond = perSecond;
    },
    usage: () => ({
      ...(opts.extraUsage?.() ?? ({} as Extra)),
      requests: counters.snapshot(),
      rateLimit: limit.stats(),
    }),
    resetUsage: () => {
      counters.reset();
      limit.reset();
    },
    reset: () => {
      opts.resetState();
      faults.reset();
      handle.resetUsage();
    },
  };
  const registerRoutes = (admin: FastifyInstance): void => {
    admin.get('/faults', async () => faults.current());
    admin.post('/faults', async (req) => faults.set((req.body ?? {}) as FaultSettings));
    admin.delete('/faults', async () => {
      faults.reset();
      return faults.current();
    });
    admin.post('/rate-limit', async (req) => {
      limit.perSecond = z.object({ perSecond: z.number().int().min(1).nullable() }).parse(req.body).perSecond;
      return limit.stats();
    });
    admin.get('/usage', async () => handle.usage());
    admin.post('/usage/reset', async (_req, reply) => {
      handle.resetUsage();
      return reply.code(204).send();
    });
    admin.post('/reset', async (_req, reply) => {
      handle.reset();
      return reply.code(204).send();
    });
  };
  return { faults, limit, counters, handle, registerRoutes };
}
