import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../platform/config';
import { problemsOf } from '../../support/config-problems';

/** A roster-sync worker in production with every secret of its own. */
const production = {
  APP_ENV: 'production',
  CODEC_KEYS: JSON.stringify({ k1: Buffer.alloc(32, 7).toString('base64') }),
  CODEC_ACTIVE_KEY_ID: 'k1',
  GRADE_RETURN_ENABLED: 'false',
  ROSTER_SYNC_ENABLED: 'true',
  ITSLEARNING_API_KEY: 'itslearning-key-of-this-school',
};

describe('where the snapshot store is', () => {
  it('[PLAT-12] production refuses a roster-sync worker on the local store, naming STORE_BACKEND', () => {
    const problems = problemsOf(production);
    expect(problems).toEqual([
      'STORE_BACKEND: must be postgres in production when ROSTER_SYNC_ENABLED=true (worker replicas share no disk; PLAT-12)',
    ]);
    expect(problemsOf({ ...production, STORE_BACKEND: 'local' })).toEqual(problems);
  });

  /** A grade-return worker in production with its own outside systems. */
  const gradeReturn = {
    ...production,
    GRADE_RETURN_ENABLED: 'true',
    ROSTER_SYNC_ENABLED: 'false',
    COACHVIEW_CLIENT_SECRET: 'coachview-secret-of-this-school',
    COACHVIEW_PUSH_SECRET: 'coachview-push-secret-of-this-school',
    MOODLE_TOKEN: 'moodle-token-of-this-school',
  };
  const competenceSystems = {
    INFOCAPTION_URL: 'https://school.infocaption.com',
    INFOCAPTION_CLIENT_ID: 'school',
    INFOCAPTION_CLIENT_SECRET: 'infocaption-secret-of-this-school',
    WINLAS_URL: 'https://winlas.school.example',
    WINLAS_API_KEY: 'winlas-key-of-this-school',
  };
  const worker = { opensStore: true };
  const localRefused =
    'STORE_BACKEND: must be postgres in production when GRADE_RETURN_ENABLED=true (a local folder is lost ' +
    'when the container is replaced and not shared by replicas; PLAT-12); set ' +
    'STORE_ALLOW_LOCAL_IN_PRODUCTION=true only for a single worker whose STORE_DIR is a persistent volume';

  it('[PLAT-12] a production grade-return worker refuses the local store unless told the folder persists', () => {
    expect(problemsOf(gradeReturn, worker)).toEqual([localRefused]);
    expect(problemsOf({ ...gradeReturn, STORE_BACKEND: 'local' }, worker)).toEqual([localRefused]);
    expect(
      problemsOf(
        { ...gradeReturn, STORE_BACKEND: 'local', STORE_ALLOW_LOCAL_IN_PRODUCTION: 'false' },
        worker,
      ),
    ).toEqual([localRefused]);
    // Competences keep their state in the store too; both are named.
    expect(problemsOf({ ...gradeReturn, COMPETENCES_ENABLED: 'true', ...competenceSystems }, worker)).toEqual(
      [
        localRefused.replace(
          'GRADE_RETURN_ENABLED=true',
          'GRADE_RETURN_ENABLED=true or COMPETENCES_ENABLED=true',
        ),
      ],
    );

    const allowed = loadConfig({ ...gradeReturn, STORE_ALLOW_LOCAL_IN_PRODUCTION: 'true' }, worker);
    expect(allowed.store).toMatchObject({ backend: 'local', allowLocalInProduction: true });
    expect(
      problemsOf(
        { ...gradeReturn, STORE_BACKEND: 'postgres', DATABASE_URL: 'postgres://u:p@db:5432/i' },
        worker,
      ),
    ).toEqual([]);
    // Not outside production, and not for a process that never opens the store (intake, codec server).
    expect(problemsOf({ ...gradeReturn, APP_ENV: 'local' }, worker)).toEqual([]);
    expect(problemsOf(gradeReturn)).toEqual([]);
  });

  it('[PLAT-12] the override does not let a roster-sync worker keep its plans in a local folder', () => {
    expect(problemsOf({ ...production, STORE_ALLOW_LOCAL_IN_PRODUCTION: 'true' }, worker)).toEqual([
      'STORE_BACKEND: must be postgres in production when ROSTER_SYNC_ENABLED=true (worker replicas share no disk; PLAT-12)',
    ]);
  });

  it('[PLAT-12] STORE_BACKEND=postgres needs DATABASE_URL, which may come from a file', () => {
    expect(problemsOf({ ...production, STORE_BACKEND: 'postgres' })).toEqual([
      'DATABASE_URL (or DATABASE_URL_FILE): is required when STORE_BACKEND=postgres',
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'db-url-')), 'url');
    writeFileSync(file, 'postgres://integrations:pw@db.internal:5432/integrations\n');
    const config = loadConfig({ ...production, STORE_BACKEND: 'postgres', DATABASE_URL_FILE: file });
    expect(config.store).toEqual({ backend: 'postgres', allowLocalInProduction: false, retentionDays: 30 });
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
