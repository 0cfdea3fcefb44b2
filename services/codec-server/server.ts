import type { Payload, PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyInstance } from 'fastify';
import { CodecDecryptError, CodecKeyError } from '../../platform/codec';
import type { Secret } from '../../platform/secret';
import { authHook, createAuthenticator, type Authenticate } from './auth';
import { corsHook } from './cors';
import { fromJsonPayload, payloadsBody, toJsonPayload, type PayloadsBody } from './payload-json';

/** A Temporal payload may be 2 MB and the UI sends a whole history page of them in one request. */
const BODY_LIMIT_BYTES = 32 * 1024 * 1024;
const HEALTH_PATH = '/healthz';

export interface CodecServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Defaults to 127.0.0.1; use 0.0.0.0 in a container. */
  host?: string;
  codec: PayloadCodec;
  /** Origins of the Web UI allowed to call from the browser, e.g. `http://localhost:8233`. */
  corsOrigins: string[];
  /** When set, every encode/decode call must carry `Authorization: Bearer <token>`. */
  token?: Secret;
  /** Checks every encode/decode call (static token and the identity provider's JWTs); wins over `token`. */
  authenticate?: Authenticate;
  /** Told who had how many payloads encoded or decoded (PLAT-15: who read personal data). */
  audit?: (entry: CodecAuditEntry) => void;
}

export interface CodecAuditEntry {
  operation: 'encode' | 'decode';
  /** The authenticated caller; null when the server runs without authentication (local). */
  caller: string | null;
  namespace: string | null;
  payloads: number;
}

export interface CodecServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The remote codec endpoint for the Temporal Web UI and CLI (PLAT-9): `POST /encode` and `POST /decode`
 * run the payloads in the body through the codec. `/{namespace}/encode|decode` is accepted as well,
 * for CLI endpoints written as `http://host:port/{namespace}`.
 */
export async function startCodecServer(opts: CodecServerOptions): Promise<CodecServer> {
  const app = buildApp(opts);
  await app.listen({ port: opts.port, host: opts.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.host === undefined || opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host;
  return { url: `http://${host}:${port}`, port, close: () => app.close() };
}

function buildApp(opts: CodecServerOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES });
  app.addHook('onRequest', corsHook(opts.corsOrigins));
  const authenticate = opts.authenticate ?? createAuthenticator({ token: opts.token });
  if (authenticate) app.addHook('onRequest', authHook(authenticate, [HEALTH_PATH]));

  app.setErrorHandler(async (err, _req, reply) => {
    if (err instanceof CodecKeyError || err instanceof CodecDecryptError) {
      return reply.code(422).send({ message: err.message });
    }
    const status = statusOf(err);
    return reply
      .code(status)
      .send({ message: status < 500 && err instanceof Error ? err.message : 'codec server error' });
  });

  const run = (transform: (payloads: Payload[]) => Promise<Payload[]>) => async (body: unknown) => {
    const parsed = payloadsBody.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .join('; ');
      throw new BadRequestError(
        `expected {"payloads": [{"metadata": {...}, "data": "<base64>"}]}: ${issues}`,
      );
    }
    const result = await transform(parsed.data.payloads.map(fromJsonPayload));
    return { payloads: result.map(toJsonPayload) } satisfies PayloadsBody;
  };
  const encode = run((p) => opts.codec.encode(p));
  const decode = run((p) => opts.codec.decode(p));

  for (const prefix of ['', '/:namespace']) {
    for (const [operation, transform] of [
      ['encode', encode],
      ['decode', decode],
    ] as const) {
      app.post(`${prefix}/${operation}`, async (req) => {
        const answer = await transform(req.body);
        const namespace = (req.params as { namespace?: string }).namespace ?? req.headers['x-namespace'];
        opts.audit?.({
          operation,
          caller: req.caller?.subject ?? null,
          namespace: typeof namespace === 'string' ? namespace : null,
          payloads: answer.payloads.length,
        });
        return answer;
      });
    }
  }
  app.get(HEALTH_PATH, async () => ({ status: 'ok' }));
  return app;
}

class BadRequestError extends Error {
  readonly statusCode = 400;
}

/** Fastify's own errors (bad JSON, body too large) carry a 4xx `statusCode`. */
function statusOf(err: unknown): number {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
