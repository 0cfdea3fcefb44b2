import { loadConfig } from '../../../platform/config';
import { problemsOf } from '../../support/config-problems';

const codec = {
  CODEC_KEYS: JSON.stringify({ k1: Buffer.alloc(32, 7).toString('base64') }),
  CODEC_ACTIVE_KEY_ID: 'k1',
};
const gradeReturnSecrets = {
  COACHVIEW_CLIENT_SECRET: 'coachview-client-secret-of-this-school',
  COACHVIEW_PUSH_SECRET: 'coachview-push-secret-of-this-school',
  MOODLE_TOKEN: 'moodle-token-of-this-school',
};

describe('wiseflow configuration', () => {
  it('[WF-4][WF-3] the flow sync is off by default; its settings have local defaults and parse', () => {
    const off = loadConfig(codec);
    expect(off.wiseflow.enabled).toBe(false);
    expect(off.intake.wiseflowSecret).toBeUndefined();
    const on = loadConfig({
      ...codec,
      WISEFLOW_ENABLED: 'true',
      WISEFLOW_PRAKTIKPORTALEN_USER_DATA_TYPE_ID: '7',
      WISEFLOW_SYNC_EVERY_MINUTES: '30',
    });
    expect(on.wiseflow).toMatchObject({
      enabled: true,
      apiUrl: 'http://localhost:4060/v1',
      praktikportalenUserDataTypeId: 7,
      syncEveryMinutes: 30,
    });
    expect(problemsOf({ ...codec, WISEFLOW_SYNC_EVERY_MINUTES: '0' })).toEqual([
      expect.stringMatching(/^WISEFLOW_SYNC_EVERY_MINUTES: /),
    ]);
  });

  it('[PLAT-15] production asks for the WISEflow and Praktikportalen secrets only of a worker that runs the flow sync', () => {
    const production = { ...codec, ...gradeReturnSecrets, APP_ENV: 'production' };
    expect(problemsOf(production)).toEqual([]);
    const problems = problemsOf({ ...production, WISEFLOW_ENABLED: 'true' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'WISEFLOW_CLIENT_SECRET (or WISEFLOW_CLIENT_SECRET_FILE): is not set; production takes no well-known local default secret',
        'PRAKTIKPORTALEN_API_KEY (or PRAKTIKPORTALEN_API_KEY_FILE): is not set; production takes no well-known local default secret',
      ]),
    );
    expect(problems.every((p) => /^(WISEFLOW|PRAKTIKPORTALEN)_/.test(p))).toBe(true);
    expect(
      problemsOf({
        ...production,
        WISEFLOW_ENABLED: 'true',
        WISEFLOW_CLIENT_SECRET: 'wiseflow-secret-of-this-licence',
        PRAKTIKPORTALEN_API_KEY: 'praktikportalen-key-of-this-school',
        // Production also takes no simulator address or local client id (deploy/wiseflow.env).
        WISEFLOW_API_URL: 'https://europe-api.wiseflow.net/v1',
        WISEFLOW_CLIENT_ID: 'school-licence-client',
        PRAKTIKPORTALEN_API_URL: 'https://praktikportalen.school.example/api/v1',
      }),
    ).toEqual([]);
  });

  it('[WF-3] a worker that runs only the flow sync is a valid worker', () => {
    expect(
      problemsOf({
        ...codec,
        GRADE_RETURN_ENABLED: 'false',
        ROSTER_SYNC_ENABLED: 'false',
        WISEFLOW_ENABLED: 'true',
      }),
    ).toEqual([]);
  });
});
