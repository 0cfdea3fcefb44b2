import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEPLOYED_NODE_OPTIONS } from '../../../bench/grade-return-stack';
import { ConfigError, configSpec, loadConfig } from '../../../platform/config';

const repo = path.resolve(__dirname, '../../..');

/** KEY=VALUE lines of an env file, comments and blanks skipped (the subset docker compose reads). */
function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path.join(repo, file), 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1]) env[match[1]] = match[2] ?? '';
  }
  return env;
}

function envNames(spec: object): string[] {
  return Object.values(spec).flatMap((v: unknown) => {
    if (v && typeof v === 'object' && 'env' in v && typeof v.env === 'string') {
      return 'secret' in v ? [v.env, `${v.env}_FILE`] : [v.env];
    }
    return v && typeof v === 'object' ? envNames(v) : [];
  });
}

describe('deploy/app.env for docker-compose.yml', () => {
  const appEnv = readEnvFile('deploy/app.env');

  it('[PLAT-4] names only variables the configuration module knows, so no setting is silently ignored', () => {
    const known = new Set(envNames(configSpec));
    expect(Object.keys(appEnv).length).toBeGreaterThan(10);
    expect(Object.keys(appEnv).filter((name) => !known.has(name))).toEqual([]);
  });

  it('[PLAT-3] holds no secret values: those come from files in deploy/secrets', () => {
    const secretNames = new Set(
      envNames(configSpec).filter((n) => !n.endsWith('_FILE') && envNames(configSpec).includes(`${n}_FILE`)),
    );
    expect(Object.keys(appEnv).filter((name) => secretNames.has(name))).toEqual([]);
  });

  it('[PLAT-4] its unset placeholders stop start-up with one message naming each of them', () => {
    const keys = JSON.stringify({ 'k-1': randomBytes(32).toString('base64') });
    let error: unknown;
    try {
      loadConfig({ ...appEnv, CODEC_KEYS: keys });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'MAIL_FROM',
      'MAIL_OPERATOR_RECIPIENTS',
      'COACHVIEW_API_URL',
      'COACHVIEW_RESULT_PUSH_URL',
      'MOODLE_URL',
    ]) {
      expect(problems).toContain(name);
    }
    expect(problems).not.toContain(keys);
  });
});

describe('docker-compose.yml', () => {
  const compose = readFileSync(path.join(repo, 'docker-compose.yml'), 'utf8');
  const service = (name: string): string => {
    const start = compose.indexOf(`\n  ${name}:\n`);
    const next = compose.slice(start + 1).search(/\n {2}[a-z][\w-]*:\n/);
    return compose.slice(start, next < 0 ? undefined : start + 1 + next);
  };

  it('[PLAT-3] runs one worker per lifecycle, the grade-return one with the heap the benchmark measured', () => {
    expect(service('worker')).toContain(`NODE_OPTIONS: ${DEPLOYED_NODE_OPTIONS}`);
    expect(service('worker')).toContain("ROSTER_SYNC_ENABLED: 'false'");
    expect(service('worker-roster-sync')).toContain("GRADE_RETURN_ENABLED: 'false'");
    expect(service('worker-roster-sync')).toContain("ROSTER_SYNC_ENABLED: 'true'");
  });
});

/** The compose client: the v2 plugin, the v1 command, or the one scripts/setup.sh installs. */
function composeCommand(): string[] | null {
  const installed = path.join(repo, '.tools/venv/bin/docker-compose');
  for (const cmd of [['docker', 'compose'], ['docker-compose'], [installed]]) {
    const probe = spawnSync(cmd[0]!, [...cmd.slice(1), 'version'], { encoding: 'utf8' });
    if (probe.status === 0) return cmd;
  }
  return null;
}

const compose = composeCommand();
// Skipped, not passed, where no compose client exists; it parses the file offline (no engine needed).
(compose ? it : it.skip)(
  '[PLAT-3] docker compose accepts docker-compose.yml, with and without the roster-sync profile',
  () => {
    for (const profile of [[], ['--profile', 'roster-sync']]) {
      const [bin, ...rest] = compose!;
      const run = spawnSync(bin!, [...rest, '-f', 'docker-compose.yml', ...profile, 'config', '-q'], {
        cwd: repo,
        encoding: 'utf8',
      });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    }
  },
);
