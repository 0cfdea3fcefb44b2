import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Secret } from '../../platform/secret';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Requires `Authorization: Bearer <token>` (the CLI's `--codec-auth`). Preflights and the health
 * check stay open: browsers never send credentials on a preflight.
 */
export function bearerTokenHook(token: Secret, openPaths: readonly string[]) {
  const expected = digest(`Bearer ${token.reveal()}`);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    if (req.method === 'OPTIONS' || openPaths.includes(req.url)) return;
    const given = digest(req.headers.authorization ?? '');
    if (!timingSafeEqual(given, expected)) {
      return reply
        .code(401)
        .header('WWW-Authenticate', 'Bearer')
        .send({ message: 'missing or wrong bearer token' });
    }
  };
}
