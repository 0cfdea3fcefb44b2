import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { repoRoot } from '../../platform/tools';
import { freePort } from './ports';

/**
 * One private PostgreSQL per jest run (PLAT-12): started by the jest globalSetup, stopped by its
 * globalTeardown. Test files ask it for a fresh database with {@link createTestDatabase}. The
 * binaries come from Debian's packages, installed by scripts/setup.sh.
 */

/** What globalSetup hands to the test files, through the JSON file named by {@link INSTANCE_ENV}. */
export interface PostgresInstance {
  /** Superuser URL on 127.0.0.1, for creating databases and roles. */
  adminUrl?: string;
  /** Why the instance could not start; tests that need it fail with this. */
  error?: string;
  /** The jest process that owns the instance (stale instances of dead runs are cleaned up). */
  ownerPid: number;
  postmasterPid?: number;
  folder: string;
}

export const INSTANCE_ENV = 'TEST_POSTGRES_INSTANCE';
const ROOT = path.join(repoRoot, '.data', 'postgres-test');
/** Used when the unprivileged user cannot reach the repository (a clone under /root, say). */
const FALLBACK_ROOT = path.join(tmpdir(), 'school-integrations-postgres-test');
const SUPERUSER = 'postgres';

/** Same search order as scripts/setup.sh. */
export function findPostgresBinaries(): string {
  const has = (dir: string) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres'));
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv) {
    if (has(fromEnv)) return fromEnv;
    throw new Error(`PG_BIN_DIR=${fromEnv} holds no initdb and postgres`);
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (dir && has(dir)) return dir;
  } catch {
    // no pg_config on PATH: look in Debian's place
  }
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => has(path.join(base, v, 'bin')))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  if (versions[0]) return path.join(base, versions[0], 'bin');
  throw new Error(
    "no PostgreSQL server binaries (initdb, postgres): run `bash scripts/setup.sh`, which installs Debian's postgresql package, or set PG_BIN_DIR",
  );
}

/** initdb and postgres refuse to run as root: as root they run as `postgres` (or `nobody`). */
function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      // try the next one
    }
  }
  throw new Error('running as root, and neither the user postgres nor nobody exists to run PostgreSQL as');
}

function asUser(
  user: { uid: number; gid: number } | undefined,
  cmd: string,
  args: string[],
): [string, string[]] {
  if (!user) return [cmd, args];
  return ['setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', cmd, ...args]];
}

/** .data/postgres-test when the user PostgreSQL runs as can reach it, else a folder under the system's tmp. */
function reachableRoot(user: { uid: number; gid: number } | undefined): string {
  mkdirSync(ROOT, { recursive: true });
  if (!user) return ROOT;
  const [cmd, args] = asUser(user, 'test', ['-x', ROOT]);
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return ROOT;
  } catch {
    mkdirSync(FALLBACK_ROOT, { recursive: true, mode: 0o755 });
    return FALLBACK_ROOT;
  }
}

function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Instances left by jest runs that died before their teardown: stop them and remove their folders. */
function removeStaleInstances(root: string): void {
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const folder = path.join(root, name);
    let owner: PostgresInstance | undefined;
    try {
      owner = JSON.parse(readFileSync(path.join(folder, 'instance.json'), 'utf8')) as PostgresInstance;
    } catch {
      owner = undefined;
    }
    if (owner && isAlive(owner.ownerPid)) continue;
    if (owner?.postmasterPid && isAlive(owner.postmasterPid)) {
      try {
        process.kill(owner.postmasterPid, 'SIGQUIT');
      } catch {
        // already gone
      }
    }
    rmSync(folder, { recursive: true, force: true });
  }
}

async function waitUntilReady(url: string, logFile: string, isRunning: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last: unknown;
  while (Date.now() < deadline) {
    if (!isRunning()) break;
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (err) {
      last = err;
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
  throw new Error(
    `PostgreSQL did not accept connections (${isRunning() ? 'timed out' : 'the server exited'}): ${String(last)}\n${log}`,
  );
}

/**
 * Starts a private instance: its own data folder under .data/postgres-test/ (or the system tmp when
 * the user PostgreSQL runs as cannot reach the repository), its own free port on
 * 127.0.0.1, a unix socket in its own folder, password authentication over TCP. Test settings
 * (fsync off) trade durability for speed.
 */
export async function startPostgres(): Promise<PostgresInstance & { stop(): Promise<void> }> {
  const user = unprivilegedUser();
  const root = reachableRoot(user);
  removeStaleInstances(root);
  const folder = path.join(root, `${process.pid}-${randomBytes(4).toString('hex')}`);
  const dataDir = path.join(folder, 'data');
  const socketDir = path.join(folder, 'socket');
  const logFile = path.join(folder, 'postgres.log');
  const instanceFile = path.join(folder, 'instance.json');
  mkdirSync(socketDir, { recursive: true });
  const record: PostgresInstance = { ownerPid: process.pid, folder };
  writeFileSync(instanceFile, JSON.stringify(record));

  const bin = findPostgresBinaries();
  const password = randomBytes(18).toString('base64url');
  const pwFile = path.join(folder, 'pw');
  writeFileSync(pwFile, password, { mode: 0o600 });
  if (user) {
    for (const p of [folder, socketDir, pwFile]) chownSync(p, user.uid, user.gid);
  }
  const [initCmd, initArgs] = asUser(user, path.join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    SUPERUSER,
    `--pwfile=${pwFile}`,
    '--auth-host=scram-sha-256',
    '--auth-local=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  try {
    execFileSync(initCmd, initArgs, { stdio: ['ignore', 'pipe', 'pipe'], cwd: folder });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`initdb failed: ${e.stderr?.toString().trim() || e.message}`);
  }
  rmSync(pwFile, { force: true });

  const port = await freePort();
  const log = openSync(logFile, 'a');
  if (user) chownSync(logFile, user.uid, user.gid);
  const [cmd, args] = asUser(user, path.join(bin, 'postgres'), [
    '-D',
    dataDir,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-k',
    socketDir,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
  ]);
  const child = spawn(cmd, args, { stdio: ['ignore', log, log], cwd: folder });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const adminUrl = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  Object.assign(record, { adminUrl, postmasterPid: child.pid });
  writeFileSync(instanceFile, JSON.stringify(record), { mode: 0o600 });

  const stop = async (): Promise<void> => {
    if (running) {
      child.kill('SIGINT'); // fast shutdown: ends sessions, no waiting for clients
      const timer = setTimeout(() => child.kill('SIGQUIT'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(adminUrl, logFile, () => running);
  } catch (err) {
    await stop();
    throw err;
  }
  return { ...record, stop };
}

function readInstance(): PostgresInstance {
  const file = process.env[INSTANCE_ENV];
  if (!file) {
    throw new Error(
      `${INSTANCE_ENV} is not set: the private PostgreSQL is started by jest's globalSetup (jest.config.js); run the tests with jest`,
    );
  }
  let instance: PostgresInstance;
  try {
    instance = JSON.parse(readFileSync(file, 'utf8')) as PostgresInstance;
  } catch (err) {
    throw new Error(`cannot read the PostgreSQL instance file ${file}: ${String(err)}`);
  }
  if (instance.error)
    throw new Error(`the private PostgreSQL for the tests did not start: ${instance.error}`);
  if (!instance.adminUrl) throw new Error(`the PostgreSQL instance file ${file} names no server`);
  return instance;
}

/** The superuser URL of the run's private PostgreSQL, for tests of setup scripts that create databases and roles. */
export function testPostgresAdminUrl(): string {
  return readInstance().adminUrl as string;
}

export interface TestDatabase {
  /** Connection URL of a fresh database, owned by its own non-superuser role. */
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database and its own login role (not a superuser, as in production) on the run's
 * private PostgreSQL. Throws, so the test fails, when that PostgreSQL did not start.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminUrl } = readInstance() as Required<Pick<PostgresInstance, 'adminUrl'>>;
  const name = `t_${randomBytes(6).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
    await admin.query(`CREATE DATABASE ${name} OWNER ${name}`);
  } finally {
    await admin.end();
  }
  const server = new URL(adminUrl);
  const url = `postgres://${name}:${password}@${server.host}/${name}`;
  return {
    url,
    async drop() {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${name}`);
      } finally {
        await c.end();
      }
    },
  };
}
