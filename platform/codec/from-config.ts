import type { DataConverter, PayloadCodec } from '@temporalio/common';
import type { AppConfig } from '../config';
import { createEncryptionCodec } from './encryption-codec';

/** The encryption codec from the validated configuration (keys revealed only here). */
export function codecFromConfig(config: Pick<AppConfig['codec'], 'keys' | 'activeKeyId'>): PayloadCodec {
  return createEncryptionCodec({ keys: config.keys.reveal(), activeKeyId: config.activeKeyId });
}

/**
 * `dataConverter` option for every Worker, Client and replayer: payloads (inputs, results, failure
 * details, user metadata) encrypted by the codec. Failure messages and stack traces stay readable
 * (docs/failure-messages.md); histories recorded when they were encoded still decode, because the
 * SDK decodes a failure's encoded attributes whatever the converter's own setting.
 */
export function dataConverter(codec: PayloadCodec): Pick<DataConverter, 'payloadCodecs'> {
  return { payloadCodecs: [codec] };
}
