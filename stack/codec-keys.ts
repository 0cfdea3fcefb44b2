import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The local stack's payload keys: generated once into the data folder and kept, so histories stay
 * readable across restarts. Production keys come from CODEC_KEYS / CODEC_KEYS_FILE instead.
 */
export function ensureLocalCodecKeys(dataDir: string): { file: string; activeKeyId: string } {
  const file = path.join(dataDir, 'codec-keys.json');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const keyId = `local-${new Date().toISOString().slice(0, 10)}`;
    writeFileSync(file, JSON.stringify({ [keyId]: randomBytes(32).toString('base64') }, null, 2), {
      mode: 0o600,
    });
  }
  const keys = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const activeKeyId = Object.keys(keys).sort().at(-1);
  if (!activeKeyId) throw new Error(`${file} holds no keys`);
  return { file, activeKeyId };
}

/**
 * For CLIs run beside the local stack: when no codec keys are configured, use the stack's key file,
 * so `npm run client -- status <id>` works without setting anything.
 */
export function withLocalCodecKeys(env: NodeJS.ProcessEnv, dataDir: string): NodeJS.ProcessEnv {
  if (env.CODEC_KEYS || env.CODEC_KEYS_FILE) return env;
  const file = path.join(dataDir, 'codec-keys.json');
  if (!existsSync(file)) return env;
  const keys = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  return {
    ...env,
    CODEC_KEYS_FILE: file,
    CODEC_ACTIVE_KEY_ID: env.CODEC_ACTIVE_KEY_ID ?? Object.keys(keys).sort().at(-1),
  };
}
