import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { createEncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../../platform/codec';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const personnummer = '19121212-1212';
const learner = { name: 'Tolvan Tolvansson', personnummer, email: 'tolvan@example.test' };

const utf8 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const toPayload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const fromPayload = (payload: Payload | undefined): unknown => {
  if (!payload) throw new Error('no payload');
  return defaultPayloadConverter.fromPayload(payload);
};

describe('AES-256-GCM payload codec', () => {
  it('[PLAT-9] a payload survives encode then decode unchanged', async () => {
    const codec = createEncryptionCodec({ keys: { k1 }, activeKeyId: 'k1' });
    const original = toPayload(learner);
    const [encoded] = await codec.encode([original]);
    const [decoded] = await codec.decode([encoded as Payload]);
    expect(fromPayload(decoded)).toEqual(learner);
    expect(utf8(decoded?.metadata?.encoding)).toBe('json/plain');
  });

  it('[PLAT-9] the encrypted payload shows neither the personnummer nor the original encoding', async () => {
    const codec = createEncryptionCodec({ keys: { k1 }, activeKeyId: 'k1' });
    const [encoded] = await codec.encode([toPayload(learner)]);
    expect(utf8(encoded?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(utf8(encoded?.metadata?.[KEY_ID_METADATA])).toBe('k1');
    const data = Buffer.from(encoded?.data ?? []);
    expect(data.includes(personnummer)).toBe(false);
    expect(data.includes('json/plain')).toBe(false);
    expect(data.length).toBeGreaterThan(12 + 16);
  });

  it('[PLAT-9] the same payload encrypts differently each time (random IV)', async () => {
    const codec = createEncryptionCodec({ keys: { k1 }, activeKeyId: 'k1' });
    const payload = toPayload(learner);
    const [a, b] = await codec.encode([payload, payload]);
    expect(Buffer.from(a?.data ?? []).equals(Buffer.from(b?.data ?? []))).toBe(false);
  });

  it('[PLAT-9] tampered ciphertext fails authentication', async () => {
    const codec = createEncryptionCodec({ keys: { k1 }, activeKeyId: 'k1' });
    const [encoded] = await codec.encode([toPayload(learner)]);
    const data = Buffer.from(encoded?.data ?? []);
    data[20] = (data[20] ?? 0) ^ 0x01;
    await expect(codec.decode([{ ...encoded, data }])).rejects.toThrow(/failed authentication/);
  });

  it('[PLAT-9] rotation: old payloads still decrypt, new payloads use the new active key', async () => {
    const before = createEncryptionCodec({ keys: { k1 }, activeKeyId: 'k1' });
    const [old] = await before.encode([toPayload({ n: 'old' })]);

    const after = createEncryptionCodec({ keys: { k1, k2 }, activeKeyId: 'k2' });
    const [fresh] = await after.encode([toPayload({ n: 'new' })]);
    expect(utf8(old?.metadata?.[KEY_ID_METADATA])).toBe('k1');
    expect(utf8(fresh?.metadata?.[KEY_ID_METADATA])).toBe('k2');

    const decoded = await after.decode([old as Payload, fresh as Payload]);
    expect(decoded.map(fromPayload)).toEqual([{ n: 'old' }, { n: 'new' }]);
    // The retired-key codec cannot read what the new key wrote.
    await expect(before.decode([fresh as Payload])).rejects.toThrow(/"k2"/);
  });

  it('[PLAT-9] an unknown key id fails with an error naming the id and never the key', async () => {
    const writer = createEncryptionCodec({ keys: { 'key-2027': k2 }, activeKeyId: 'key-2027' });
    const reader = createEncryptionCodec({ keys: { k1 }, activeKeyId: 'k1' });
    const [encoded] = await writer.encode([toPayload(learner)]);
    const error = await reader.decode([encoded as Payload]).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error?.message).toContain('"key-2027"');
    expect(error?.message).not.toContain(k1);
    expect(error?.message).not.toContain(k2);
  });

  it('[PLAT-9] a payload that is not encrypted passes through decode untouched', async () => {
    const codec = createEncryptionCodec({ keys: { k1 }, activeKeyId: 'k1' });
    const plain = toPayload({ hello: 'world' });
    const [decoded] = await codec.decode([plain]);
    expect(decoded).toBe(plain);
  });

  it('[PLAT-9] refuses an active key id that is not configured, and keys of the wrong length', () => {
    expect(() => createEncryptionCodec({ keys: { k1 }, activeKeyId: 'k9' })).toThrow(/"k9"/);
    const short = randomBytes(16).toString('base64');
    expect(() => createEncryptionCodec({ keys: { short }, activeKeyId: 'short' })).toThrow(
      /"short".*32 bytes/,
    );
  });
});
