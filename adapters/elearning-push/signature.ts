import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Secret } from '../../platform/secret';

/** Headers carrying `sha256=<hex HMAC-SHA256 of the raw request body, keyed with the shared secret>`. */
export const signatureHeaders = {
  ilias: 'x-ilias-signature',
  anewspring: 'x-ans-signature',
} as const;

const PREFIX = 'sha256=';

/** The header value a sender computes for `rawBody`. */
export function signPayload(rawBody: Buffer | string, secret: Secret): string {
  return PREFIX + createHmac('sha256', secret.reveal()).update(rawBody).digest('hex');
}

/** True when `header` is the HMAC-SHA256 of exactly these bytes; compared in constant time. */
export function verifySignature(rawBody: Buffer, header: string | undefined, secret: Secret): boolean {
  if (!header?.startsWith(PREFIX)) return false;
  const hex = header.slice(PREFIX.length).trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac('sha256', secret.reveal()).update(rawBody).digest();
  return timingSafeEqual(given, expected);
}
