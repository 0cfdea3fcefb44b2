import type { FastifyReply, FastifyRequest } from 'fastify';

/** Headers the Temporal Web UI and CLI send to a codec server. */
const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for the Web UI: the browser calls the codec server directly from the UI's origin, with
 * credentials when the UI is configured to include them, so the origin is echoed, never `*`.
 */
export function corsHook(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    const origin = req.headers.origin;
    reply.header('Vary', 'Origin');
    if (origin && allowed.has(origin)) {
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method === 'OPTIONS') {
      if (origin && allowed.has(origin)) {
        reply.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
        reply.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        reply.header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
      }
      return reply.code(204).send();
    }
  };
}
