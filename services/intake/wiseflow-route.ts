import type { FastifyInstance } from 'fastify';
import { DELIVERY_ID_HEADER, verifyDelivery } from '../../adapters/elearning-push/signature';
import {
  WISEFLOW_SIGNATURE_HEADER,
  flowExternalSourceEventSchema,
  webhookEventSchema,
} from '../../adapters/wiseflow/webhook';
import type { Secret } from '../../platform/secret';
import { invalidPayload } from './issues';
import type { SeenDeliveries } from './seen-deliveries';
import { RETRY_AFTER_SECONDS } from './start';

/** What the intake asks of a flow's sync: sync now (WF-5); which workflow it reached, or none. */
export type RequestFlowSync = (request: {
  flowId: number;
  /** Set for a manager's update request, which the sync answers done or failed. */
  requestId?: string;
  reference?: string;
}) => Promise<{ outcome: 'signalled'; workflowId: string } | { outcome: 'no-sync' }>;

export interface WiseflowRouteOptions {
  secret: Secret;
  requestFlowSync: RequestFlowSync;
  seenDeliveries: SeenDeliveries;
  toleranceSeconds: number;
}

const SOURCE = 'wiseflow';

const firstHeader = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/**
 * `POST /webhooks/wiseflow`: WISEflow's FLOW_EXTERNAL_SOURCE webhook (a manager pressed "update") and
 * its flow state and period events. Verified like every webhook of the intake (signature over
 * timestamp, delivery id and raw bytes: 401; payload: 400), a delivery id seen before is answered as a
 * duplicate and signals nothing (WISEflow delivers at least once), then the flow's sync is signalled
 * (202; 503 so WISEflow delivers again when Temporal cannot be reached, with the id released).
 */
export function registerWiseflowWebhookRoute(app: FastifyInstance, opts: WiseflowRouteOptions): void {
  const { secret, seenDeliveries } = opts;
  app.post(`/webhooks/${SOURCE}`, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const check = verifyDelivery(
      {
        rawBody: raw,
        signature: firstHeader(request.headers[WISEFLOW_SIGNATURE_HEADER]),
        deliveryId: firstHeader(request.headers[DELIVERY_ID_HEADER]),
        now: Math.floor(Date.now() / 1000),
        toleranceSeconds: opts.toleranceSeconds,
      },
      secret,
    );
    if (!check.ok) {
      request.log.warn({ source: SOURCE, reason: check.reason }, 'webhook refused: signature');
      return reply
        .code(401)
        .send({ error: `${WISEFLOW_SIGNATURE_HEADER} / ${DELIVERY_ID_HEADER}: ${check.message}` });
    }
    const { deliveryId } = check;
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply.code(400).send({ error: 'the body is not JSON' });
    }
    // An update request is checked against its own schema, so a refusal names its fields.
    const isUpdateRequest = (json as { event?: unknown } | null)?.event === 'FLOW_EXTERNAL_SOURCE';
    const payload = (isUpdateRequest ? flowExternalSourceEventSchema : webhookEventSchema).safeParse(json);
    if (!payload.success) return reply.code(400).send(invalidPayload('WISEflow webhook', payload.error));
    const event = payload.data;

    let first: boolean;
    try {
      first = await seenDeliveries.claim(SOURCE, deliveryId);
    } catch (err) {
      request.log.error(
        { source: SOURCE, deliveryId, err: (err as Error).message },
        'could not record the delivery id',
      );
      return reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({ error: 'could not record the delivery; deliver again later' });
    }
    if (!first) {
      request.log.warn({ source: SOURCE, deliveryId }, 'webhook delivery replayed: dropped');
      return reply.code(200).send({ outcome: 'duplicate', deliveryId });
    }
    try {
      const answer = await opts.requestFlowSync(
        event.event === 'FLOW_EXTERNAL_SOURCE'
          ? {
              flowId: event.flowId,
              requestId: event.requestId,
              ...(event.reference ? { reference: event.reference } : {}),
            }
          : { flowId: event.flowId },
      );
      request.log.info(
        { source: SOURCE, event: event.event, flowId: event.flowId, ...answer },
        'flow sync requested',
      );
      // A flow no sync is linked to is not ours to answer: WISEflow keeps its request pending.
      return reply.code(202).send(answer.outcome === 'signalled' ? answer : { outcome: 'ignored' });
    } catch (err) {
      await seenDeliveries.release(SOURCE, deliveryId).catch(() => undefined);
      request.log.error(
        { source: SOURCE, flowId: event.flowId, err: err instanceof Error ? err.message : String(err) },
        'could not signal the flow sync',
      );
      return reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({ error: 'could not reach the flow sync; deliver again later' });
    }
  });
}
