/**
 * The worker process, not only the configuration module, refuses a production snapshot store in a
 * local folder for the lifecycles that keep state in it (PLAT-12, docs/shared-state.md).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../../platform/tools';

it('[PLAT-12] a production grade-return worker on STORE_BACKEND=local stops at start-up naming the variable and the override', () => {
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'dist/workers/main.js')], {
    env: {
      PATH: process.env.PATH,
      APP_ENV: 'production',
      CODEC_KEYS: JSON.stringify({ k1: Buffer.alloc(32, 7).toString('base64') }),
      CODEC_ACTIVE_KEY_ID: 'k1',
      GRADE_RETURN_ENABLED: 'true',
      COACHVIEW_CLIENT_SECRET: 'coachview-secret-of-this-school',
      COACHVIEW_PUSH_SECRET: 'coachview-push-secret-of-this-school',
      MOODLE_TOKEN: 'moodle-token-of-this-school',
      STORE_BACKEND: 'local',
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status).toBe(78);
  expect(run.stderr).toContain(
    'STORE_BACKEND: must be postgres in production when GRADE_RETURN_ENABLED=true',
  );
  expect(run.stderr).toContain('STORE_ALLOW_LOCAL_IN_PRODUCTION=true');
});
