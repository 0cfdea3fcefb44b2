import Fastify from 'fastify';
import type { SimulatorContext } from './context';
import { FaultSwitches, type FaultSettings } from '../common/faults';
import type { CoachviewSnapshot, PushLogEntry, Seed } from './model';
import { DailyQuota, type QuotaWindow } from './quota';
import { adminPrefix, adminRoutes } from './routes/admin';
import { apiPrefix, apiRoutes } from './routes/api';
import { oauthRoutes } from './routes/oauth';
import { pushRoutes } from './routes/push';
import { CoachviewStore } from './store';
import { TokenIssuer } from './tokens';

/** Coachview's documented REST quota: 5,000 requests a day per API client. */
export const COACHVIEW_DAILY_REQUEST_LIMIT = 5000;

/** Which part of Coachview a fault hits (`on`; `all` for both): the result push, or the REST API but not the token endpoint. */
const faultSurfaces = ['push', 'api'] as const;

export interface CoachviewSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  pushSecret?: string;
  dailyRequestLimit?: number;
  /** The quota's window; a UTC day unless a test shortens it (the limit is then per window). */
  quotaWindowMs?: number;
  tokenTtlSeconds?: number;
  /** Clock for token expiry and the daily quota; tests may move it. */
  now?: () => number;
}

export interface CoachviewUsage {
  tokenRequests: number;
  apiRequestsToday: Record<string, number>;
  /** Requests answered and refused per quota window since the last reset. */
  quotaWindows: QuotaWindow[];
}

export interface CoachviewSimulator {
  url: string;
  port: number;
  /** A copy of everything Coachview holds. */
  state(): CoachviewSnapshot;
  seed(seed: Seed): void;
  faults(settings: FaultSettings): void;
  /** Every push received, with its answer, oldest first. */
  pushLog(): PushLogEntry[];
  usage(): CoachviewUsage;
  /** Clears state, faults, tokens, quota and the push log. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a Coachview simulator: REST API, OAuth token endpoint, signed result push and /__admin. */
export async function startCoachviewSimulator(
  opts: CoachviewSimulatorOptions = {},
): Promise<CoachviewSimulator> {
  const now = opts.now ?? Date.now;
  const ctx: SimulatorContext = {
    store: new CoachviewStore(),
    faults: new FaultSwitches({
      targets: faultSurfaces,
      failStatuses: [500, 503],
      requireValues: true,
      perTargetLatency: false,
    }),
    tokens: new TokenIssuer(
      opts.clientId ?? 'integrations',
      opts.clientSecret ?? 'local-client-secret',
      opts.tokenTtlSeconds ?? 3600,
      now,
    ),
    quota: new DailyQuota(opts.dailyRequestLimit ?? COACHVIEW_DAILY_REQUEST_LIMIT, now, opts.quotaWindowMs),
    pushLog: [],
    pushSecret: opts.pushSecret ?? 'local-push-secret',
    now,
  };
  const reset = (): void => {
    ctx.store.reset();
    ctx.faults.reset();
    ctx.tokens.reset();
    ctx.quota.reset();
    ctx.pushLog.length = 0;
  };

  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (req) => {
    const delay = ctx.faults.latencyMs;
    if (delay > 0 && !req.url.startsWith(adminPrefix)) await new Promise((r) => setTimeout(r, delay));
  });
  await app.register(oauthRoutes(ctx));
  await app.register(apiRoutes(ctx), { prefix: apiPrefix });
  await app.register(pushRoutes(ctx));
  await app.register(adminRoutes(ctx, reset), { prefix: adminPrefix });

  await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  const host = opts.host === undefined || opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host;

  return {
    url: `http://${host}:${port}`,
    port,
    state: () => ctx.store.snapshot(),
    seed: (seed) => ctx.store.seed(seed),
    faults: (settings) => ctx.faults.set(settings),
    pushLog: () => structuredClone(ctx.pushLog),
    usage: () => ({
      tokenRequests: ctx.tokens.issued,
      apiRequestsToday: ctx.quota.usage(),
      quotaWindows: ctx.quota.windows(),
    }),
    reset,
    close: () => app.close(),
  };
}
