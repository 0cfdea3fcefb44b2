import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Secret } from '../../platform/secret';

/**
 * Headers carrying `t=<unix seconds>,v1=<hex HMAC-SHA256>`, keyed with the shared secret, over
 * `<t>.<delivery id>.<raw body>`: the timestamp bounds how long a captured delivery can be replayed,
 * the delivery id lets the receiver drop a replay inside that window (PLAT-15).
 */
export const signatureHeaders = {
  ilias: 'x-ilias-signature',
  anewspring: 'x-ans-signature',
} as const;

/** The sender's id of one delivery; its retries keep it. */
export const DELIVERY_ID_HEADER = 'x-delivery-id';

const DELIVERY_ID = /^[A-Za-z0-9._:-]{1,200}$/;

export interface SignedDelivery {
  rawBody: Buffer | string;
  deliveryId: string;
  /** Unix seconds when the sender signed. */
  timestamp: number;
}

function hmac(delivery: SignedDelivery, secret: Secret): Buffer {
  return createHmac('sha256', secret.reveal())
    .update(`${delivery.timestamp}.${delivery.deliveryId}.`)
    .update(delivery.rawBody)
    .digest();
}

/** The signature header value a sender computes. */
export function signDelivery(delivery: SignedDelivery, secret: Secret): string {
  return `t=${delivery.timestamp},v1=${hmac(delivery, secret).toString('hex')}`;
}

export type DeliveryCheck =
  | { ok: true; deliveryId: string; timestamp: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' | 'stale' | 'future'; message: string };

export interface VerifyDeliveryInput {
  rawBody: Buffer;
  signature: string | undefined;
  deliveryId: string | undefined;
  /** Unix seconds now (the receiver's clock). */
  now: number;
  /** Accepted distance between the signature's timestamp and `now`, both ways (clock skew). */
  toleranceSeconds: number;
}

/**
 * Checks the signature over these exact bytes, delivery id and timestamp (constant-time compare),
 * then that the timestamp is within the tolerance of `now` in either direction.
 */
export function verifyDelivery(input: VerifyDeliveryInput, secret: Secret): DeliveryCheck {
  if (!input.signature || !input.deliveryId) {
    return { ok: false, reason: 'missing', message: 'the signature and the delivery id are required' };
  }
  if (!DELIVERY_ID.test(input.deliveryId)) {
    return { ok: false, reason: 'malformed', message: 'the delivery id is not a valid id' };
  }
  const parts = new Map(
    input.signature.split(',').map((p) => {
      const at = p.indexOf('=');
      return [p.slice(0, at).trim(), p.slice(at + 1).trim()] as const;
    }),
  );
  const t = parts.get('t') ?? '';
  const v1 = parts.get('v1') ?? '';
  if (!/^\d{1,12}$/.test(t) || !/^[0-9a-fA-F]{64}$/.test(v1)) {
    return {
      ok: false,
      reason: 'malformed',
      message: 'the signature must be t=<unix seconds>,v1=<hex HMAC-SHA256>',
    };
  }
  const timestamp = Number(t);
  const expected = hmac({ rawBody: input.rawBody, deliveryId: input.deliveryId, timestamp }, secret);
  if (!timingSafeEqual(Buffer.from(v1, 'hex'), expected)) {
    return { ok: false, reason: 'mismatch', message: 'the signature does not match' };
  }
  const age = input.now - timestamp;
  if (age > input.toleranceSeconds) {
    return {
      ok: false,
      reason: 'stale',
      message: `the delivery was signed ${age} s ago, more than the ${input.toleranceSeconds} s accepted`,
    };
  }
  if (-age > input.toleranceSeconds) {
    return {
      ok: false,
      reason: 'future',
      message: `the delivery is signed ${-age} s in the future, more than the ${input.toleranceSeconds} s of clock skew accepted`,
    };
  }
  return { ok: true, deliveryId: input.deliveryId, timestamp };
}
