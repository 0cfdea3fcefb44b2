import { createEncryptionCodec } from '../../platform/codec';

/** Fixed test-only keys: committed histories under test/histories are encrypted with these. */
export const testCodecKeys = {
  'test-2026-a': 'dGVzdC1vbmx5LWtleS1ub3QtYS1zZWNyZXQtMDAwMDA=',
  'test-2026-b': 'dGVzdC1vbmx5LWtleS1ub3QtYS1zZWNyZXQtMTExMTE=',
};

export const testCodec = (activeKeyId: keyof typeof testCodecKeys = 'test-2026-a') =>
  createEncryptionCodec({ keys: testCodecKeys, activeKeyId });
