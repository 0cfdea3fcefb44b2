/**
 * What every API request of the InfoCaption and WinLas simulators passes before its route: counted,
 * slowed, authorized, held to the per-second rate limit (429 with Retry-After), then the fault switches.
 * Each route names itself with `config: { route: '<name>' }`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { answerFault, sleep, type FaultSwitches } from '../common/faults';
import type { PerSecondLimit } from './rate-limit';
import type { RequestCounters } from './usage';

export interface Refusal {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface GuardOptions {
  faults: FaultSwitches;
  limit: PerSecondLimit;
  counters: RequestCounters;
  /** undefined when the request may go on, else how to refuse it. */
  authorize(request: FastifyRequest): Refusal | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    route?: string;
  }
  interface FastifyRequest {
    failAfterProcessing?: number;
  }
}

export function routeOf(request: FastifyRequest): string {
  return request.routeOptions.config.route ?? 'unknown';
}

/** Registers the guard on an encapsulated plugin (so admin routes outside it are never affected). */
export function guardApi(app: FastifyInstance, opts: GuardOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    const route = routeOf(request);
    opts.counters.count(route);
    const delay = opts.faults.latencyFor(route);
    if (delay > 0) await sleep(delay);
    const refusal = opts.authorize(request);
    if (refusal)
      return reply
        .code(refusal.status)
        .headers(refusal.headers ?? {})
        .send(refusal.body);
    const rate = opts.limit.consume();
    if (!rate.allowed) {
      return reply
        .code(429)
        .header('retry-after', String(rate.retryAfterSeconds))
        .send({ error: 'Too Many Requests', message: 'request rate limit reached' });
    }
    const fault = opts.faults.take(route);
    if (fault?.kind === 'fail' && fault.afterProcessing) {
      request.failAfterProcessing = fault.status;
      return;
    }
    if (fault) return answerFault(reply, fault, { malformedBody: '{"results":[{"id":' });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.failAfterProcessing === undefined) return payload;
    reply.code(request.failAfterProcessing).type('application/json');
    return JSON.stringify({ error: 'Internal Server Error' });
  });
}

/** Listens and gives the URL the way the other simulators do. */
export async function listenOn(
  app: FastifyInstance,
  port: number,
  host = '127.0.0.1',
): Promise<{ url: string; port: number }> {
  await app.listen({ port, host });
  const address = app.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
  return { url: `http://${shown}:${actual}`, port: actual };
}

/** Admin routes take JSON; a body-less POST (curl -X POST) is fine; zod errors are 400. */
export function adminErrors(app: FastifyInstance): void {
  app.setErrorHandler((err, _request, reply) => {
    if (err instanceof ZodError) return reply.code(400).send({ error: 'invalid input', issues: err.issues });
    if (err instanceof SeedError) return reply.code(409).send({ error: err.message });
    return reply.send(err);
  });
}

export class SeedError extends Error {
  override name = 'SeedError';
}
