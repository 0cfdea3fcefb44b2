import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** `encoding` metadata of a payload this codec encrypted. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key that encrypted a payload, so rotated-out keys still decrypt. */
export const KEY_ID_METADATA = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export interface EncryptionCodecOptions {
  /** Key id to base64 of a 32-byte AES key. Keep retired keys here so old histories still decrypt. */
  keys: Record<string, string>;
  /** The key every new payload is encrypted with. */
  activeKeyId: string;
}

export class CodecKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecKeyError';
  }
}

export class CodecDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecDecryptError';
  }
}

const text = new TextEncoder();
const utf8 = new TextDecoder();

function loadKeys(keys: Record<string, string>): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [id, base64] of Object.entries(keys)) {
    const key = Buffer.from(base64, 'base64');
    if (key.length !== KEY_BYTES)
      throw new CodecKeyError(`codec key "${id}" must be base64 of ${KEY_BYTES} bytes`);
    out.set(id, key);
  }
  return out;
}

/**
 * AES-256-GCM payload codec (PLAT-9). The whole serialized Payload (metadata included) is encrypted,
 * so the history shows neither the data nor its original encoding; the key id stays in clear text.
 */
export function createEncryptionCodec(opts: EncryptionCodecOptions): PayloadCodec {
  const keys = loadKeys(opts.keys);
  const activeKey = keys.get(opts.activeKeyId);
  if (!activeKey)
    throw new CodecKeyError(`codec active key id "${opts.activeKeyId}" is not among the configured keys`);
  const active = { key: activeKey, id: text.encode(opts.activeKeyId) };

  function encrypt(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, active.key, iv);
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: text.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: active.id },
      data: new Uint8Array(data),
    };
  }

  function decrypt(payload: Payload): Payload {
    const rawKeyId = payload.metadata?.[KEY_ID_METADATA];
    if (!rawKeyId) throw new CodecDecryptError(`encrypted payload has no ${KEY_ID_METADATA} metadata`);
    const keyId = utf8.decode(rawKeyId);
    const key = keys.get(keyId);
    if (!key)
      throw new CodecKeyError(
        `no codec key with id "${keyId}" is configured; add it to CODEC_KEYS to decrypt`,
      );
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new CodecDecryptError(`encrypted payload (key "${keyId}") is too short`);
    const iv = data.subarray(0, IV_BYTES);
    const tag = data.subarray(data.length - TAG_BYTES);
    const decipher = createDecipheriv(ALGORITHM, key, iv);
    decipher.setAuthTag(tag);
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new CodecDecryptError(
        `encrypted payload (key "${keyId}") failed authentication: tampered or wrong key`,
      );
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }

  return {
    async encode(payloads) {
      return payloads.map(encrypt);
    },
    async decode(payloads) {
      return payloads.map((p) => (isEncrypted(p) ? decrypt(p) : p));
    },
  };
}

function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && utf8.decode(encoding) === ENCRYPTED_ENCODING;
}
