import { timingSafeEqual } from 'node:crypto';

/** Compares two secrets without leaking where they differ through timing. */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
