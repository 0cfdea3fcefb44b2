import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  DELIVERY_ID_HEADER,
  signatureHeaders,
  toCompletion,
  verifyDelivery,
  webhookSchemas,
  type PushSource,
} from '../../adapters/elearning-push';
import type { Completion } from '../../domain/grade-return/completion';
import type { Secret } from '../../platform/secret';
import { invalidPayload } from './issues';
import type { SeenDeliveries } from './seen-deliveries';
import { RETRY_AFTER_SECONDS, startAndAnswer } from './start';
import type { IntakeAnswer, StartGradeReturn } from './types';

export interface WebhookRouteOptions {
  source: PushSource;
  secret: Secret;
  startGradeReturn: StartGradeReturn;
  seenDeliveries: SeenDeliveries;
  toleranceSeconds: number;
}

const firstHeader = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/**
 * `POST /webhooks/<source>`: the signature over timestamp, delivery id and raw bytes first (401, also
 * for a delivery signed too long ago or too far ahead), then the payload shape (400, naming the
 * field), then the delivery id: one already seen is answered as a duplicate and starts nothing
 * (PLAT-15); then the grade-return start (202, or 503 so the sender retries, with the id released).
 */
export function registerWebhookRoute(app: FastifyInstance, opts: WebhookRouteOptions): void {
  const { source, secret, seenDeliveries } = opts;
  app.post(`/webhooks/${source}`, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const check = verifyDelivery(
      {
        rawBody: raw,
        signature: firstHeader(request.headers[signatureHeaders[source]]),
        deliveryId: firstHeader(request.headers[DELIVERY_ID_HEADER]),
        now: Math.floor(Date.now() / 1000),
        toleranceSeconds: opts.toleranceSeconds,
      },
      secret,
    );
    if (!check.ok) {
      request.log.warn({ source, reason: check.reason }, 'webhook refused: signature');
      return reply.code(401).send({
        error: `${signatureHeaders[source]} / ${DELIVERY_ID_HEADER}: ${check.message}`,
      });
    }
    const { deliveryId } = check;
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
    if (!completion) return reply.code(202).send({ outcome: 'ignored' } satisfies IntakeAnswer);

    let first: boolean;
    try {
      first = await seenDeliveries.claim(source, deliveryId);
    } catch (err) {
      request.log.error(
        { source, deliveryId, err: (err as Error).message },
        'could not record the delivery id',
      );
      return reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({ error: 'could not record the delivery; deliver again later' });
    }
    if (!first) {
      request.log.warn({ source, deliveryId }, 'webhook delivery replayed: dropped');
      return reply.code(200).send({ outcome: 'duplicate', deliveryId } satisfies IntakeAnswer);
    }
    const startOnce: StartGradeReturn = async (c) => {
      try {
        return await opts.startGradeReturn(c);
      } catch (err) {
        await seenDeliveries.release(source, deliveryId).catch(() => undefined);
        throw err;
      }
    };
    return startAndAnswer(reply, request.log, startOnce, completion);
  });
}
