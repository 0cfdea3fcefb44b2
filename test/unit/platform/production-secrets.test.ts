import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { intakeSecrets, loadConfig, type LoadConfigOptions } from '../../../platform/config';
import { problemsOf } from '../../support/config-problems';

const dir = mkdtempSync(path.join(tmpdir(), 'secrets-'));
const file = (name: string, content: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

const codec = {
  CODEC_KEYS: JSON.stringify({ k1: Buffer.alloc(32, 7).toString('base64') }),
  CODEC_ACTIVE_KEY_ID: 'k1',
};
/** Every secret of a grade-return worker and of the intake, each with a value of its own. */
const ownSecrets = {
  COACHVIEW_CLIENT_SECRET: 'coachview-client-secret-of-this-school',
  COACHVIEW_PUSH_SECRET: 'coachview-push-secret-of-this-school',
  MOODLE_TOKEN: 'moodle-token-of-this-school',
  INTAKE_ILIAS_SECRET: 'ilias-secret-of-this-school',
  INTAKE_ANEWSPRING_SECRET: 'anewspring-secret-of-this-school',
};

describe('secrets in production', () => {
  it('[PLAT-15] an empty secret file, an unset secret with a local default and a default value each stop start-up, named in one message', () => {
    const problems = problemsOf({
      ...codec,
      ...ownSecrets,
      APP_ENV: 'production',
      COACHVIEW_PUSH_SECRET: '',
      COACHVIEW_PUSH_SECRET_FILE: file('push.txt', '\n'),
      MOODLE_TOKEN: '',
      COACHVIEW_CLIENT_SECRET: 'local-client-secret',
      SMTP_PASSWORD_FILE: file('smtp.txt', ''),
    });
    expect(problems).toEqual([
      'SMTP_PASSWORD_FILE: names an empty file; production takes no empty secret',
      'COACHVIEW_CLIENT_SECRET (or COACHVIEW_CLIENT_SECRET_FILE): is a well-known local default or placeholder; production needs its own secret',
      'COACHVIEW_PUSH_SECRET_FILE: names an empty file; production takes no empty secret',
      'MOODLE_TOKEN (or MOODLE_TOKEN_FILE): is not set; production takes no well-known local default secret',
    ]);
    expect(problems.join('\n')).not.toMatch(/local-(client|push|moodle)-/);
  });

  it('[PLAT-15][PLAT-14] the intake refuses a default webhook secret; the worker, which holds none, does not ask for them', () => {
    const { INTAKE_ILIAS_SECRET: _ilias, INTAKE_ANEWSPRING_SECRET: _anewspring, ...workerOwn } = ownSecrets;
    expect(problemsOf({ ...codec, ...workerOwn, APP_ENV: 'production' })).toEqual([]);
    expect(
      problemsOf(
        { ...codec, APP_ENV: 'production', INTAKE_ILIAS_SECRET: 'local-ilias-secret' },
        { usesSecret: intakeSecrets },
      ),
    ).toEqual([
      'INTAKE_ILIAS_SECRET (or INTAKE_ILIAS_SECRET_FILE): is a well-known local default or placeholder; production needs its own secret',
      'INTAKE_ANEWSPRING_SECRET (or INTAKE_ANEWSPRING_SECRET_FILE): is not set; production takes no well-known local default secret',
    ]);
  });

  it('[PLAT-15] outside production the same empty file still falls back to the local default', () => {
    const config = loadConfig({ ...codec, COACHVIEW_PUSH_SECRET_FILE: file('push-local.txt', '') });
    expect(config.coachview.pushSecret.reveal()).toBe('local-push-secret');
  });

  it('[PLAT-15] a deploy/ placeholder is refused like a default', () => {
    const problems = problemsOf({
      ...codec,
      ...ownSecrets,
      APP_ENV: 'production',
      ROSTER_SYNC_ENABLED: 'true',
      ROSTER_SOURCE: 'procapita-db',
      PROCAPITA_CONNECTION_STRING_FILE: file('procapita.txt', 'CHANGE-ME\n'),
    });
    expect(problems).toEqual([
      'PROCAPITA_CONNECTION_STRING (or PROCAPITA_CONNECTION_STRING_FILE): is a well-known local default or placeholder; production needs its own secret',
    ]);
  });

  it('[PLAT-15] a worker with every secret of its own starts; a roster-sync-only worker needs no grade-return secrets', () => {
    expect(problemsOf({ ...codec, ...ownSecrets, APP_ENV: 'production' })).toEqual([]);
    expect(
      problemsOf({
        ...codec,
        APP_ENV: 'production',
        GRADE_RETURN_ENABLED: 'false',
        ROSTER_SYNC_ENABLED: 'true',
        STORE_BACKEND: 'postgres',
        DATABASE_URL: 'postgres://integrations:a-long-password@db.school.example/integrations',
      }),
    ).toEqual([]);
  });

  it('[PLAT-15][WF-4] a worker running the WISEflow sync refuses the local WISEflow and Praktikportalen credentials', () => {
    const wiseflowWorker = {
      ...codec,
      APP_ENV: 'production',
      GRADE_RETURN_ENABLED: 'false',
      WISEFLOW_ENABLED: 'true',
      // Production also takes no simulator address or local client id (deploy/wiseflow.env).
      WISEFLOW_API_URL: 'https://europe-api.wiseflow.net/v1',
      WISEFLOW_CLIENT_ID: 'school-licence-client',
      PRAKTIKPORTALEN_API_URL: 'https://praktikportalen.school.example/api/v1',
    };
    expect(problemsOf(wiseflowWorker)).toEqual([
      'WISEFLOW_CLIENT_SECRET (or WISEFLOW_CLIENT_SECRET_FILE): is not set; production takes no well-known local default secret',
      'PRAKTIKPORTALEN_API_KEY (or PRAKTIKPORTALEN_API_KEY_FILE): is not set; production takes no well-known local default secret',
    ]);
    expect(
      problemsOf({
        ...wiseflowWorker,
        WISEFLOW_CLIENT_SECRET: 'local-wiseflow-secret',
        PRAKTIKPORTALEN_API_KEY: 'praktikportalen-key-of-this-school',
      }),
    ).toEqual([
      'WISEFLOW_CLIENT_SECRET (or WISEFLOW_CLIENT_SECRET_FILE): is a well-known local default or placeholder; production needs its own secret',
    ]);
    expect(
      problemsOf({
        ...wiseflowWorker,
        WISEFLOW_CLIENT_SECRET: 'wiseflow-secret-of-this-school',
        PRAKTIKPORTALEN_API_KEY: 'praktikportalen-key-of-this-school',
      }),
    ).toEqual([]);
    // A worker without the WISEflow sync never reads them.
    expect(problemsOf({ ...codec, ...ownSecrets, APP_ENV: 'production' })).toEqual([]);
  });

  it('[PLAT-15] a process names the secrets it reads: the codec server only the codec ones', () => {
    const codecServer: LoadConfigOptions = { usesSecret: (p) => p.startsWith('codec.') };
    expect(problemsOf({ ...codec, APP_ENV: 'production' }, codecServer)).toEqual([]);
    expect(
      problemsOf(
        { ...codec, APP_ENV: 'production', CODEC_SERVER_TOKEN_FILE: file('token.txt', ' ') },
        codecServer,
      ),
    ).toEqual(['CODEC_SERVER_TOKEN_FILE: names an empty file; production takes no empty secret']);
  });
});
