import type { DataConverter, PayloadCodec } from '@temporalio/common';
import type { AppConfig } from '../config';
import { createEncryptionCodec } from './encryption-codec';

/** The encryption codec from the validated configuration (keys revealed only here). */
export function codecFromConfig(config: Pick<AppConfig['codec'], 'keys' | 'activeKeyId'>): PayloadCodec {
  return createEncryptionCodec({ keys: config.keys.reveal(), activeKeyId: config.activeKeyId });
}

/** Encodes failure messages and stack traces as payloads; bundled into every workflow bundle. */
export const failureConverterPath = require.resolve('./failure-converter');

/**
 * `dataConverter` option for every Worker, Client and replayer: payloads encrypted by the codec, and
 * failure messages and stack traces encoded so the codec encrypts them as well.
 */
export function dataConverter(
  codec: PayloadCodec,
): Pick<DataConverter, 'payloadCodecs' | 'failureConverterPath'> {
  return { payloadCodecs: [codec], failureConverterPath };
}
