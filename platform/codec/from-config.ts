import type { DataConverter, PayloadCodec } from '@temporalio/common';
import type { AppConfig } from '../config';
import { createEncryptionCodec } from './encryption-codec';

/** The encryption codec from the validated configuration (keys revealed only here). */
export function codecFromConfig(config: Pick<AppConfig['codec'], 'keys' | 'activeKeyId'>): PayloadCodec {
  return createEncryptionCodec({ keys: config.keys.reveal(), activeKeyId: config.activeKeyId });
}

/** `dataConverter` option for a Worker, Client or replayer that must read and write encrypted payloads. */
export function dataConverter(codec: PayloadCodec): Pick<DataConverter, 'payloadCodecs'> {
  return { payloadCodecs: [codec] };
}
