/**
 * The admin controls InfoCaption and WinLas share: the fault switches, the per-second limit, the
 * request counters and a reset, both as routes under `/__admin` and as methods on the handle a test
 * or the stack gets back.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FaultSettings, FaultSwitches } from '../common/faults';
import type { PerSecondLimit } from './rate-limit';
import type { RequestCounters } from './usage';

export interface SimulatorControls<Usage> {
  faults(settings: FaultSettings): FaultSettings;
  /** Requests a second; null for no limit. */
  setRateLimit(perSecond: number | null): void;
  usage(): Usage;
  resetUsage(): void;
  /** Clears state, faults and counters (the rate limit stays as configured). */
  reset(): void;
}

export interface ControlParts<Usage> {
  faults: FaultSwitches;
  limit: PerSecondLimit;
  counters: RequestCounters;
  usage(): Usage;
  /** Clears the simulator's own state (data, tokens). */
  resetState(): void;
}

/** The handle's control methods, and the routes that do the same under `/__admin`. */
export function adminControls<Usage>(parts: ControlParts<Usage>): {
  handle: SimulatorControls<Usage>;
  /** `GET/POST/DELETE /faults`, `POST /rate-limit`, `GET /usage`, `POST /usage/reset`, `POST /reset`. */
  registerRoutes(admin: FastifyInstance): void;
} {
  const { faults, limit } = parts;
  const handle: SimulatorControls<Usage> = {
    faults: (settings) => faults.set(settings),
    setRateLimit: (perSecond) => {
      limit.perSecond = perSecond;
    },
    usage: () => parts.usage(),
    resetUsage: () => {
      parts.counters.reset();
      limit.reset();
    },
    reset: () => {
      parts.resetState();
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
  return { handle, registerRoutes };
}
