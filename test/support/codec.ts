import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEncryptionCodec } from '../../platform/codec';
import { repoRoot } from '../../platform/tools';

/**
 * Fixed test-only keys: committed histories under test/histories are encrypted with these. They are
 * a file so the CLI can replay those histories too (CODEC_KEYS_FILE, see README).
 */
export const testCodecKeysFile = path.join(repoRoot, 'test/histories/codec-keys.json');

export const testCodecKeys = JSON.parse(readFileSync(testCodecKeysFile, 'utf8')) as Record<
  'test-2026-a' | 'test-2026-b',
  string
>;

export const testCodec = (activeKeyId: keyof typeof testCodecKeys = 'test-2026-a') =>
  createEncryptionCodec({ keys: testCodecKeys, activeKeyId });
