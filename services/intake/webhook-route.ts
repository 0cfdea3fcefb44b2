import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  signatureHeaders,
  toCompletion,
  verifySignature,
  webhookSchemas,
  type PushSource,
} from '../../adapters/elearning-push';
import type { Completion } from '../../domain/grade-return/completion';
import type { Secret } from '../../platform/secret';
import { invalidPayload } from './issues';
import { startAndAnswer } from './start';
import type { StartGradeReturn } from './types';

/**
 * `POST /webhooks/<source>`: signature over the raw bytes first (401), then the payload shape (400,
 * naming the field), then the grade-return start (202, or 503 so the sender retries). A replayed
 * delivery is harmless: it maps onto the same workflow id and answers `duplicate`.
 */
export function registerWebhookRoute(
  app: FastifyInstance,
  source: PushSource,
  secret: Secret,
  startGradeReturn: StartGradeReturn,
): void {
  app.post(`/webhooks/${source}`, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = request.headers[signatureHeaders[source]];
    if (!verifySignature(raw, Array.isArray(header) ? header[0] : header, secret)) {
      request.log.warn({ source }, 'webhook with a bad signature');
      return reply.code(401).send({ error: `missing or invalid ${signatureHeaders[source]} header` });
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply.code(400).send({ error: 'the body is not JSON' });
    }
    const payload = webhookSchemas[source].safeParse(json);
    if (!payload.success) return reply.code(400).send(invalidPayload(`${source} webhook`, payload.error));
    let completion: Completion | null;
    try {
      completion = toCompletion(source, payload.data);
    } catch (err) {
      if (err instanceof z.ZodError) return reply.code(400).send(invalidPayload(`${source} completion`, err));
      throw err;
    }
    if (!completion) return reply.code(202).send({ outcome: 'ignored' });
    return startAndAnswer(reply, request.log, startGradeReturn, completion);
  });
}
