/**
 * WISEflow's webhooks as the platform receives them (REFERENCE.md: HMAC-SHA256 signed, delivered at
 * least once, retried). The signature scheme is assumed to be the platform's usual one
 * (adapters/elearning-push/signature.ts: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<delivery id>.<raw body>">`
 * with the delivery id in `X-Delivery-Id`); docs/wiseflow-apis.md says what is assumed.
 */
import { z } from 'zod';

/** The header carrying the signature (lower case, as node hands headers over). */
export const WISEFLOW_SIGNATURE_HEADER = 'x-wiseflow-signature';

export const WEBHOOK_EVENTS = ['FLOW_EXTERNAL_SOURCE', 'FLOW_STATE_UPDATED', 'FLOW_PERIOD_UPDATED'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A manager pressed "update" on a flow's external source: sync now, then answer sync/done or sync/fail. */
export const flowExternalSourceEventSchema = z.object({
  event: z.literal('FLOW_EXTERNAL_SOURCE'),
  /** The id of this update request; a retried delivery keeps it. */
  requestId: z.string().min(1),
  flowId: z.number().int().positive(),
  /** The external source's reference (the internship period number), when the flow has one. */
  reference: z.string().min(1).optional(),
});

export type FlowExternalSourceEvent = z.output<typeof flowExternalSourceEventSchema>;

/** Any delivery: the external-source request, or another event the flow sync may ignore. */
export const webhookEventSchema = z.union([
  flowExternalSourceEventSchema,
  z.object({
    event: z.enum(['FLOW_STATE_UPDATED', 'FLOW_PERIOD_UPDATED']),
    flowId: z.number().int().positive(),
  }),
]);

export type WiseflowWebhookEvent = z.output<typeof webhookEventSchema>;
