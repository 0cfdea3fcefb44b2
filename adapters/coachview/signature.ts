import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Coachview-Signature';

/** The value of {@link SIGNATURE_HEADER}: an HMAC-SHA256 of the exact bytes sent. */
export function signBody(rawBody: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}
