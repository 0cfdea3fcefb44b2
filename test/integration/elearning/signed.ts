import { randomUUID } from 'node:crypto';
import {
  DELIVERY_ID_HEADER,
  signatureHeaders,
  signDelivery,
  type PushSource,
} from '../../../adapters/elearning-push';
import { Secret } from '../../../platform/secret';

/** The headers of one signed webhook delivery, signed now unless told otherwise. */
export function signedHeaders(
  source: PushSource,
  body: string,
  secret: string,
  opts: { deliveryId?: string; timestamp?: number } = {},
): Record<string, string> {
  const deliveryId = opts.deliveryId ?? randomUUID();
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    [signatureHeaders[source]]: signDelivery({ rawBody: body, deliveryId, timestamp }, new Secret(secret)),
    [DELIVERY_ID_HEADER]: deliveryId,
  };
}
