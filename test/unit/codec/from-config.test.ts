import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { codecFromConfig, dataConverter } from '../../../platform/codec';
import { loadConfig } from '../../../platform/config';

describe('codec from configuration', () => {
  const old = randomBytes(32).toString('base64');
  const current = randomBytes(32).toString('base64');
  const env = { CODEC_KEYS: JSON.stringify({ '2025': old, '2026': current }), CODEC_ACTIVE_KEY_ID: '2026' };

  it('[PLAT-9] builds the codec from CODEC_KEYS / CODEC_ACTIVE_KEY_ID and encrypts with the active key', async () => {
    const config = loadConfig(env);
    const codec = codecFromConfig(config.codec);
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload({ a: 1 })]);
    expect(Buffer.from(encoded?.metadata?.['encryption-key-id'] ?? []).toString()).toBe('2026');
    const [decoded] = await codec.decode([encoded as Payload]);
    expect(defaultPayloadConverter.fromPayload(decoded as Payload)).toEqual({ a: 1 });
    // Failure messages are left readable (docs/failure-messages.md): no failure converter that encodes them.
    expect(dataConverter(codec)).toEqual({ payloadCodecs: [codec] });
  });

  it('[PLAT-4] the codec keys never show when the configuration is printed', () => {
    const config = loadConfig(env);
    const printed = `${inspect(config, { depth: 10 })} ${JSON.stringify(config)}`;
    expect(printed).not.toContain(old);
    expect(printed).not.toContain(current);
  });
});
