import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Secret } from '../../platform/secret';
import { registerCompletionsRoute } from './completions-route';
import type { StartGradeReturn } from './types';
import { registerWebhookRoute } from './webhook-route';

/** Webhook bodies are small; anything larger is not a completion event. */
const BODY_LIMIT_BYTES = 64 * 1024;

export interface IntakeServerOptions {
  port: number;
  host?: string;
  /** Shared HMAC secrets agreed with each pushing system. */
  secrets: { ilias: Secret; anewspring: Secret };
  startGradeReturn: StartGradeReturn;
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
  registerWebhookRoute(app, 'ilias', opts.secrets.ilias, opts.startGradeReturn);
  registerWebhookRoute(app, 'anewspring', opts.secrets.anewspring, opts.startGradeReturn);
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
  await app.listen({ port: opts.port, host: opts.host ?? '0.0.0.0' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { url: `http://127.0.0.1:${port}`, port, app, close: () => app.close() };
}
