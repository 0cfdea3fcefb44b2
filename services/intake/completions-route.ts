import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { completionSchema } from '../../domain/grade-return/completion';
import type { Secret } from '../../platform/secret';
import { invalidPayload } from './issues';
import { startAndAnswer } from './start';
import type { StartGradeReturn } from './types';

function bearerMatches(header: string | undefined, token: Secret): boolean {
  const given = Buffer.from(header?.replace(/^Bearer /i, '') ?? '');
  const expected = Buffer.from(token.reveal());
  return header !== undefined && given.length === expected.length && timingSafeEqual(given, expected);
}

/** `POST /completions`: a normalized completion from an operator or a test, behind a bearer token. */
export function registerCompletionsRoute(
  app: FastifyInstance,
  token: Secret,
  startGradeReturn: StartGradeReturn,
): void {
  app.post('/completions', async (request, reply) => {
    if (!bearerMatches(request.headers.authorization, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'a valid bearer token is required' });
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
    } catch {
      return reply.code(400).send({ error: 'the body is not JSON' });
    }
    const completion = completionSchema.safeParse(json);
    if (!completion.success) return reply.code(400).send(invalidPayload('completion', completion.error));
    return startAndAnswer(reply, request.log, startGradeReturn, completion.data);
  });
}
