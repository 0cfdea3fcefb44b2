import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Secret } from '../../platform/secret';
import { registerCompletionsRoute } from './completions-route';
import { MemorySeenDeliveries, type SeenDeliveries } from './seen-deliveries';
import type { StartGradeReturn } from './types';
import { registerWebhookRoute } from './webhook-route';
import { registerWiseflowWebhookRoute, type RequestFlowSync } from './wiseflow-route';

/** Webhook bodies are small; anything larger is not a completion event. */
const BODY_LIMIT_BYTES = 64 * 1024;
const DEFAULT_TOLERANCE_SECONDS = 300;

export interface IntakeServerOptions {
  port: number;
  /** Defaults to 127.0.0.1; LISTEN_HOST=0.0.0.0 in a container. */
  host?: string;
  /** Shared HMAC secrets agreed with each pushing system. */
  secrets: { ilias: Secret; anewspring: Secret };
  startGradeReturn: StartGradeReturn;
  /** Delivery ids already accepted; shared by replicas through PostgreSQL. Defaults to this process's memory. */
  seenDeliveries?: SeenDeliveries;
  /** How far a delivery's signed timestamp may be from now, either way (default 300 s). */
  signatureToleranceSeconds?: number;
  /** WISEflow's webhook (WF-5): its registration's secret and how a flow's sync is signalled. */
  wiseflow?: { secret: Secret; requestFlowSync: RequestFlowSync };
  /** Enables `POST /completions` for operators and tests; without it the route does not exist. */
  operatorToken?: Secret;
  logger?: FastifyBaseLogger;
}

export interface IntakeServer {
  url: string;
  port: number;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Builds the intake app without listening (for `app.inject`). */
export function buildIntakeServer(opts: Omit<IntakeServerOptions, 'port' | 'host'>): FastifyInstance {
  const app = Fastify({ loggerInstance: opts.logger, bodyLimit: BODY_LIMIT_BYTES });
  // Signatures are over the exact bytes sent, so every JSON body stays raw until it is verified.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  const seenDeliveries = opts.seenDeliveries ?? new MemorySeenDeliveries();
  for (const source of ['ilias', 'anewspring'] as const) {
    registerWebhookRoute(app, {
      source,
      secret: opts.secrets[source],
      startGradeReturn: opts.startGradeReturn,
      seenDeliveries,
      toleranceSeconds: opts.signatureToleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
    });
  }
  if (opts.wiseflow) {
    registerWiseflowWebhookRoute(app, {
      ...opts.wiseflow,
      seenDeliveries,
      toleranceSeconds: opts.signatureToleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
    });
  }
  if (opts.operatorToken) registerCompletionsRoute(app, opts.operatorToken, opts.startGradeReturn);
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}

/**
 * The HTTP intake for pushed completions (Ilias and aNewSpring webhooks): each accepted completion
 * becomes one grade-return start through the injected `startGradeReturn`.
 */
export async function startIntakeServer(opts: IntakeServerOptions): Promise<IntakeServer> {
  const app = buildIntakeServer(opts);
  await app.listen({ port: opts.port, host: opts.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { url: `http://127.0.0.1:${port}`, port, app, close: () => app.close() };
}
