import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../platform/config';

/** A roster-sync worker in production with every secret of its own. */
const production = {
  APP_ENV: 'production',
  CODEC_KEYS: JSON.stringify({ k1: Buffer.alloc(32, 7).toString('base64') }),
  CODEC_ACTIVE_KEY_ID: 'k1',
  GRADE_RETURN_ENABLED: 'false',
  ROSTER_SYNC_ENABLED: 'true',
  ITSLEARNING_API_KEY: 'itslearning-key-of-this-school',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('where the snapshot store is', () => {
  it('[PLAT-12] production refuses a roster-sync worker on the local store, naming STORE_BACKEND', () => {
    const problems = problemsOf(production);
    expect(problems).toEqual([
      'STORE_BACKEND: must be postgres in production when ROSTER_SYNC_ENABLED=true (worker replicas share no disk; PLAT-12)',
    ]);
    expect(problemsOf({ ...production, STORE_BACKEND: 'local' })).toEqual(problems);
  });

  it('[PLAT-12] STORE_BACKEND=postgres needs DATABASE_URL, which may come from a file', () => {
    expect(problemsOf({ ...production, STORE_BACKEND: 'postgres' })).toEqual([
      'DATABASE_URL (or DATABASE_URL_FILE): is required when STORE_BACKEND=postgres',
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'db-url-')), 'url');
    writeFileSync(file, 'postgres://integrations:pw@db.internal:5432/integrations\n');
    const config = loadConfig({ ...production, STORE_BACKEND: 'postgres', DATABASE_URL_FILE: file });
    expect(config.store).toEqual({ backend: 'postgres', retentionDays: 30 });
    expect(config.database.url?.reveal()).toBe('postgres://integrations:pw@db.internal:5432/integrations');
    expect(String(config.database.url)).toBe('[redacted]');
  });

  it('[PLAT-12] the embedded stack keeps the local store; bad values are named', () => {
    const local = loadConfig({ CODEC_KEYS: production.CODEC_KEYS, CODEC_ACTIVE_KEY_ID: 'k1' });
    expect(local.store.backend).toBe('local');
    expect(
      problemsOf({
        CODEC_KEYS: production.CODEC_KEYS,
        CODEC_ACTIVE_KEY_ID: 'k1',
        STORE_BACKEND: 's3',
        STORE_RETENTION_DAYS: '7',
        DATABASE_URL: 'mysql://x',
        DATABASE_TLS: 'maybe',
      }),
    ).toEqual([
      expect.stringMatching(/^DATABASE_URL \(or DATABASE_URL_FILE\): must be a postgres:\/\/ URL$/),
      expect.stringMatching(/^DATABASE_TLS: /),
      expect.stringMatching(/^STORE_BACKEND: /),
      'STORE_RETENTION_DAYS: must be at least 15 (a run may wait 14 days for approval)',
    ]);
  });
});
