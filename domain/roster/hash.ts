/**
 * A small non-cryptographic 106-bit hash (two cyrb53 lanes) for plan ids and idempotency keys.
 * Written in plain TypeScript, not with node:crypto, so that this folder stays importable from
 * workflow code. Inputs are our own plans, never adversarial, so collision resistance is enough.
 */
export interface Hasher {
  update(text: string): Hasher;
  digest(): string;
}

// Bound once: a global lookup per character is slow inside sandboxes such as jest's vm context.
const imul = Math.imul;

/** One cyrb53 lane's two halves mixed into a number below 2^53. */
export function laneValue(h1: number, h2: number): number {
  let a = imul(h1 ^ (h1 >>> 16), 2246822507);
  a ^= imul(h2 ^ (h2 >>> 13), 3266489909);
  let b = imul(h2 ^ (h2 >>> 16), 2246822507);
  b ^= imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & b) + (a >>> 0);
}

/** One cyrb53 lane's two halves as 14 hex digits (53 bits). */
export function laneDigest(h1: number, h2: number): string {
  return laneValue(h1, h2).toString(16).padStart(14, '0');
}

/**
 * Two cyrb53 lanes (seeds 0x9e3779b9 and 0x85ebca6b) advanced in one pass over each text, followed
 * by a separator step that keeps ["ab","c"] and ["a","bc"] apart, without copying the text.
 */
export function createHasher(): Hasher {
  let a1 = 0xdeadbeef ^ 0x9e3779b9;
  let a2 = 0x41c6ce57 ^ 0x9e3779b9;
  let b1 = 0xdeadbeef ^ 0x85ebca6b;
  let b2 = 0x41c6ce57 ^ 0x85ebca6b;
  const hasher: Hasher = {
    update(text) {
      for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        a1 = imul(a1 ^ ch, 2654435761);
        a2 = imul(a2 ^ ch, 1597334677);
        b1 = imul(b1 ^ ch, 2654435761);
        b2 = imul(b2 ^ ch, 1597334677);
      }
      a1 = imul(a1, 2654435761);
      a2 = imul(a2, 1597334677);
      b1 = imul(b1, 2654435761);
      b2 = imul(b2, 1597334677);
      return hasher;
    },
    digest: () => laneDigest(a1, a2) + laneDigest(b1, b2),
  };
  return hasher;
}

export function hashOf(...parts: string[]): string {
  const hasher = createHasher();
  for (const part of parts) hasher.update(part);
  return hasher.digest();
}
