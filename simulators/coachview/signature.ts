/** Verifies `X-Coachview-Signature: sha256=<hex>`, an HMAC-SHA256 of the raw request body. */
import { createHmac } from 'node:crypto';
import { sameText } from './constant-time';

export const signatureHeader = 'x-coachview-signature';

export function isValidSignature(rawBody: string, header: string | undefined, secret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex');
  return sameText(header.slice('sha256='.length).toLowerCase(), expected);
}
