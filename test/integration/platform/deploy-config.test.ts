import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { DEPLOYED_NODE_OPTIONS } from '../../../bench/grade-return-stack';
import { ConfigError, configSpec, loadConfig } from '../../../platform/config';
import { problemsOf } from '../../support/config-problems';

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

/** The env files of docker-compose.yml: app.env for every app service, one per lifecycle worker after it. */
const ENV_FILES = ['deploy/app.env', 'deploy/competences.env', 'deploy/wiseflow.env'];

/** A configuration problem list of `env`, or [] when it loads. */
describe('deploy/app.env for docker-compose.yml', () => {
  const appEnv = readEnvFile('deploy/app.env');

  it('[PLAT-4] names only variables the configuration module knows, so no setting is silently ignored', () => {
    const known = new Set(envNames(configSpec));
    expect(Object.keys(appEnv).length).toBeGreaterThan(10);
    for (const file of ENV_FILES) {
      expect({ file, unknown: Object.keys(readEnvFile(file)).filter((name) => !known.has(name)) }).toEqual({
        file,
        unknown: [],
      });
    }
  });

  it('[PLAT-3] holds no secret values: those come from files in deploy/secrets', () => {
    const secretNames = new Set(
      envNames(configSpec).filter((n) => !n.endsWith('_FILE') && envNames(configSpec).includes(`${n}_FILE`)),
    );
    for (const file of ENV_FILES) {
      expect({
        file,
        secrets: Object.keys(readEnvFile(file)).filter((name) => secretNames.has(name)),
      }).toEqual({ file, secrets: [] });
    }
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

  // Each lifecycle worker reads app.env and then its own file (docker-compose.yml).
  const keys = JSON.stringify({ 'k-1': randomBytes(32).toString('base64') });
  const chosen = {
    CODEC_KEYS: keys,
    CODEC_ACTIVE_KEY_ID: 'k-1',
    SMTP_HOST: 'smtp.school.example',
    MAIL_FROM: 'integrations@school.example',
    MAIL_OPERATOR_RECIPIENTS: 'operators@school.example',
    COACHVIEW_API_URL: 'https://coachview.school.example',
    COACHVIEW_CLIENT_ID: 'school',
    COACHVIEW_RESULT_PUSH_URL: 'https://coachview.school.example/elearning/results',
    MOODLE_URL: 'https://moodle.school.example',
  };
  interface Lifecycle {
    file: string;
    on: Record<string, string>;
    secrets: Record<string, string>;
    /** The CHANGE-MEs of its file. */
    placeholders: string[];
    /** Those whose local default production refuses too. */
    defaults: string[];
    values: Record<string, string>;
  }
  const lifecycles: Lifecycle[] = [
    {
      file: 'deploy/competences.env',
      on: { COMPETENCES_ENABLED: 'true', GRADE_RETURN_ENABLED: 'false' },
      secrets: {
        INFOCAPTION_CLIENT_SECRET: 'infocaption-secret-of-this-school',
        WINLAS_API_KEY: 'winlas-key-of-this-school',
      },
      placeholders: [
        'INFOCAPTION_URL',
        'INFOCAPTION_CLIENT_ID',
        'WINLAS_URL',
        'COMPETENCES_REPORT_RECIPIENTS',
      ],
      defaults: ['INFOCAPTION_URL', 'INFOCAPTION_CLIENT_ID', 'WINLAS_URL'],
      values: {
        INFOCAPTION_URL: 'https://school.infocaption.com',
        INFOCAPTION_CLIENT_ID: 'school-integrations',
        WINLAS_URL: 'https://winlas.school.example',
        COMPETENCES_REPORT_RECIPIENTS: 'hr@school.example',
      },
    },
    {
      file: 'deploy/wiseflow.env',
      on: { WISEFLOW_ENABLED: 'true', GRADE_RETURN_ENABLED: 'false' },
      secrets: {
        WISEFLOW_CLIENT_SECRET: 'wiseflow-secret-of-this-licence',
        PRAKTIKPORTALEN_API_KEY: 'praktikportalen-key-of-this-school',
      },
      placeholders: [
        'WISEFLOW_API_URL',
        'WISEFLOW_CLIENT_ID',
        'WISEFLOW_PRAKTIKPORTALEN_USER_DATA_TYPE_ID',
        'PRAKTIKPORTALEN_API_URL',
      ],
      defaults: ['WISEFLOW_API_URL', 'WISEFLOW_CLIENT_ID', 'PRAKTIKPORTALEN_API_URL'],
      values: {
        WISEFLOW_API_URL: 'https://europe-api.wiseflow.net/v1',
        WISEFLOW_CLIENT_ID: 'school-licence',
        WISEFLOW_PRAKTIKPORTALEN_USER_DATA_TYPE_ID: '12',
        PRAKTIKPORTALEN_API_URL: 'https://praktikportalen.school.example/api/v1',
      },
    },
  ];

  it.each(lifecycles)(
    '[PLAT-15][PLAT-4] $file: production refuses its CHANGE-MEs and the local defaults while the lifecycle runs, and nothing of it otherwise',
    ({ file, on, secrets, placeholders, defaults, values }) => {
      const own = readEnvFile(file);
      expect(
        Object.entries(own)
          .filter(([, v]) => v === 'CHANGE-ME')
          .map(([k]) => k)
          .sort(),
      ).toEqual([...placeholders].sort());
      const base = { ...appEnv, ...chosen, ...own, ...on, ...secrets };
      const named = (problems: string[], names: string[]) =>
        names.filter((name) => problems.some((p) => p.startsWith(`${name}:`)));
      // As shipped: each CHANGE-ME is named.
      expect(named(problemsOf(base), placeholders)).toEqual(placeholders);
      // Lines deleted: the simulators' addresses and the local client id are no choice either.
      const deleted = Object.fromEntries(
        Object.entries({ ...base, ...values }).filter(([k]) => !defaults.includes(k)),
      );
      expect(problemsOf(deleted)).toEqual(
        defaults.map((name) => expect.stringMatching(new RegExp(`^${name}: is not set; production`))),
      );
      // Chosen: it starts.
      expect(problemsOf({ ...base, ...values })).toEqual([]);
      // The other workers never read this file, and app.env alone does not stop them.
      expect(
        problemsOf({
          ...appEnv,
          ...chosen,
          COACHVIEW_CLIENT_SECRET: 'x'.repeat(16),
          COACHVIEW_PUSH_SECRET: 'y'.repeat(16),
          MOODLE_TOKEN: 'z'.repeat(16),
        }),
      ).toEqual([]);
    },
  );
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

  const doc = load(compose) as {
    services: Record<
      string,
      {
        environment?: Record<string, string>;
        profiles?: string[];
        env_file?: string[];
        secrets?: string[];
        volumes?: string[];
      }
    >;
    secrets: Record<string, { file: string }>;
  };
  const switches = ['GRADE_RETURN_ENABLED', 'ROSTER_SYNC_ENABLED', 'COMPETENCES_ENABLED', 'WISEFLOW_ENABLED'];

  it('[PLAT-3] each worker runs its one task queue with every other switched off; the new ones behind their own profile and env file', () => {
    const workers = {
      worker: 'GRADE_RETURN_ENABLED',
      'worker-roster-sync': 'ROSTER_SYNC_ENABLED',
      'worker-competences': 'COMPETENCES_ENABLED',
      'worker-wiseflow': 'WISEFLOW_ENABLED',
    };
    for (const [name, on] of Object.entries(workers)) {
      const env = doc.services[name]?.environment ?? {};
      expect({ name, switches: Object.fromEntries(switches.map((s) => [s, env[s]])) }).toEqual({
        name,
        switches: Object.fromEntries(switches.map((s) => [s, s === on ? 'true' : 'false'])),
      });
    }
    expect(doc.services['worker-competences']).toMatchObject({
      profiles: ['competences'],
      env_file: ['deploy/app.env', 'deploy/competences.env'],
    });
    // Each worker that keeps data in the store keeps it in PostgreSQL: the image has no folder its user may write.
    for (const name of ['worker', 'worker-roster-sync', 'worker-competences']) {
      expect({ name, store: doc.services[name]?.environment?.STORE_BACKEND }).toEqual({
        name,
        store: 'postgres',
      });
    }
    expect(doc.services['worker-wiseflow']).toMatchObject({
      profiles: ['wiseflow'],
      env_file: ['deploy/app.env', 'deploy/wiseflow.env'],
    });
    // The intake serves WISEflow's update requests with the secret of its webhook registration.
    expect(doc.services.intake?.environment?.INTAKE_WISEFLOW_SECRET_FILE).toBe(
      '/run/secrets/intake_wiseflow_secret',
    );
  });

  it('[PLAT-15] make-secrets.sh creates every secret file and client certificate folder a service names', () => {
    const project = mkdtempSync(path.join(tmpdir(), 'make-secrets-'));
    try {
      cpSync(path.join(repo, 'deploy/make-secrets.sh'), path.join(project, 'deploy/make-secrets.sh'));
      cpSync(path.join(repo, 'deploy/secrets/README.md'), path.join(project, 'deploy/secrets/README.md'));
      const run = spawnSync('bash', [path.join(project, 'deploy/make-secrets.sh')], { encoding: 'utf8' });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      const named = Object.values(doc.services).flatMap((s) => s.secrets ?? []);
      const missing = [...new Set(named)].filter((name) => {
        const file = doc.secrets[name]?.file;
        return !file || !existsSync(path.join(project, file));
      });
      expect(missing).toEqual([]);
      const tlsFolders = Object.values(doc.services)
        .flatMap((s) => s.volumes ?? [])
        .map((v) => v.split(':')[0]!)
        .filter((source) => source.startsWith('./deploy/secrets/tls/'));
      expect(tlsFolders.length).toBeGreaterThan(6);
      for (const folder of tlsFolders) {
        for (const file of ['ca.pem', 'tls.crt', 'tls.key']) {
          expect({ folder, file, exists: existsSync(path.join(project, folder, file)) }).toEqual({
            folder,
            file,
            exists: true,
          });
        }
      }
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
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
  '[PLAT-3] docker compose accepts docker-compose.yml, with and without each lifecycle profile',
  () => {
    const profiles = ['roster-sync', 'competences', 'wiseflow'].map((p) => ['--profile', p]);
    for (const profile of [[], ...profiles]) {
      const [bin, ...rest] = compose!;
      const run = spawnSync(bin!, [...rest, '-f', 'docker-compose.yml', ...profile, 'config', '-q'], {
        cwd: repo,
        encoding: 'utf8',
      });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    }
  },
);
