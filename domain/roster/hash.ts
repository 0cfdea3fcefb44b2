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

function lane(seed: number) {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  return {
    update(text: string): void {
      for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        h1 = imul(h1 ^ ch, 2654435761);
        h2 = imul(h2 ^ ch, 1597334677);
      }
    },
    digest(): string {
      let a = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
      a ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
      let b = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
      b ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
      const value = 4294967296 * (2097151 & b) + (a >>> 0);
      return value.toString(16).padStart(14, '0');
    },
  };
}

export function createHasher(): Hasher {
  const lanes = [lane(0x9e3779b9), lane(0x85ebca6b)];
  const hasher: Hasher = {
    update(text) {
      // A separator keeps ["ab","c"] and ["a","bc"] apart.
      for (const l of lanes) l.update(`${text}\u0000`);
      return hasher;
    },
    digest: () => lanes.map((l) => l.digest()).join(''),
  };
  return hasher;
}

export function hashOf(...parts: string[]): string {
  const hasher = createHasher();
  for (const part of parts) hasher.update(part);
  return hasher.digest();
}
