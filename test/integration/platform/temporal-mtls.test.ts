/**
 * Temporal's endpoint takes mutual TLS only (PLAT-15): the certificates deploy/make-secrets.sh makes,
 * the settings each caller of docker-compose.yml gets, against a real Temporal dev server behind a
 * TLS proxy that requires client certificates as the production frontend does.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../../platform/config';
import { temporalConnectionSettings } from '../../../platform/temporal';
import { repoRoot, temporalCliPath } from '../../../platform/tools';
import { startTestDevServer, type TestDevServer } from '../../support/dev-server';
import { startTlsProxy, type TlsProxy } from '../../support/tls-proxy';

const callers = ['worker', 'worker-roster-sync', 'intake', 'temporal-ui', 'temporal-admin'];

/** deploy/ copied to a scratch folder, with make-secrets.sh run in it as an operator would. */
function makeSecrets(work: string): string {
  cpSync(path.join(repoRoot, 'deploy'), path.join(work, 'deploy'), { recursive: true });
  for (const file of ['codec_keys.json', 'tls'])
    rmSync(path.join(work, 'deploy/secrets', file), { recursive: true, force: true });
  const run = spawnSync('bash', [path.join(work, 'deploy/make-secrets.sh')], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`make-secrets.sh failed: ${run.stderr}`);
  return path.join(work, 'deploy/secrets/tls');
}

const openssl = (...args: string[]): string => {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
};

let work: string;
let tls: string;
let otherTls: string;
let dev: TestDevServer;
let frontend: TlsProxy;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'temporal-mtls-'));
  tls = makeSecrets(path.join(work, 'a'));
  otherTls = makeSecrets(path.join(work, 'b'));
  dev = await startTestDevServer('temporal-mtls');
  const file = (name: string) => readFileSync(path.join(tls, name));
  frontend = await startTlsProxy({
    target: dev.server.address,
    cert: file('temporal/tls.crt'),
    key: file('temporal/tls.key'),
    ca: file('ca.pem'),
  });
});

afterAll(async () => {
  await frontend?.close();
  await dev?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The Temporal settings a service of docker-compose.yml gets: app.env's and its own folder's. */
const settingsOf = (caller: string, over: Record<string, string> = {}) =>
  loadConfig({
    CODEC_KEYS: JSON.stringify({ k: Buffer.alloc(32, 1).toString('base64') }),
    CODEC_ACTIVE_KEY_ID: 'k',
    TEMPORAL_ADDRESS: frontend.address,
    TEMPORAL_TLS: 'true',
    TEMPORAL_TLS_SERVER_NAME: 'temporal',
    TEMPORAL_TLS_CA_FILE: path.join(tls, caller, 'ca.pem'),
    TEMPORAL_TLS_CERT_FILE: path.join(tls, caller, 'tls.crt'),
    TEMPORAL_TLS_KEY_FILE: path.join(tls, caller, 'tls.key'),
    ...over,
  }).temporal;

async function reaches(settings: ReturnType<typeof settingsOf>): Promise<boolean> {
  try {
    const connection = await Connection.connect({
      ...temporalConnectionSettings(settings),
      connectTimeout: '3s',
    });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

describe("Temporal's endpoint with mutual TLS", () => {
  it('[PLAT-15] make-secrets.sh makes a private CA, the server certificate for "temporal" and one client certificate per caller', () => {
    expect(statSync(path.join(tls, 'ca.key')).mode & 0o777).toBe(0o600);
    const server = openssl(
      'x509',
      '-in',
      path.join(tls, 'temporal/tls.crt'),
      '-noout',
      '-ext',
      'subjectAltName,extendedKeyUsage',
    );
    expect(server).toContain('DNS:temporal');
    expect(server).toContain('TLS Web Server Authentication');
    for (const caller of ['temporal', ...callers]) {
      expect(
        openssl('verify', '-CAfile', path.join(tls, 'ca.pem'), path.join(tls, caller, 'tls.crt')),
      ).toContain(': OK');
      expect(readFileSync(path.join(tls, caller, 'ca.pem'))).toEqual(readFileSync(path.join(tls, 'ca.pem')));
    }
    const client = openssl(
      'x509',
      '-in',
      path.join(tls, 'worker/tls.crt'),
      '-noout',
      '-ext',
      'extendedKeyUsage',
    );
    expect(client).toContain('TLS Web Client Authentication');
    expect(client).not.toContain('Server Authentication');
    // Run again, it keeps what exists (a restart must not rotate certificates behind the services' backs).
    const before = readFileSync(path.join(tls, 'temporal/tls.crt'));
    const again = spawnSync('bash', [path.join(work, 'a/deploy/make-secrets.sh')], { encoding: 'utf8' });
    expect(again.stdout).toContain('keep   deploy/secrets/tls/temporal');
    expect(readFileSync(path.join(tls, 'temporal/tls.crt'))).toEqual(before);
  });

  it("[PLAT-15] every caller reaches Temporal with its own certificate: the client, and the worker's native connection", async () => {
    const callers = ['worker', 'worker-roster-sync', 'intake'];
    for (const caller of callers) expect(await reaches(settingsOf(caller))).toBe(true);
    // The frontend saw each by the name in its own certificate.
    expect(frontend.clients).toEqual(expect.arrayContaining(callers));
    const native = await NativeConnection.connect(temporalConnectionSettings(settingsOf('worker')));
    await native.close();
  });

  it('[PLAT-15] nothing unauthenticated gets through: no client certificate, one another CA signed, or the wrong server name', async () => {
    const admitted = frontend.clients.length;
    const noCertificate = settingsOf('worker', { TEMPORAL_TLS_CERT_FILE: '', TEMPORAL_TLS_KEY_FILE: '' });
    expect(noCertificate.tlsCertFile).toBeUndefined();
    expect(await reaches(noCertificate)).toBe(false);
    const strangers = settingsOf('worker', {
      TEMPORAL_TLS_CERT_FILE: path.join(otherTls, 'worker/tls.crt'),
      TEMPORAL_TLS_KEY_FILE: path.join(otherTls, 'worker/tls.key'),
    });
    expect(await reaches(strangers)).toBe(false);
    // Refused in the handshake: neither got as far as a connection to Temporal.
    expect(frontend.clients).toHaveLength(admitted);
    // The client checks the server too: a server presenting another name is not Temporal.
    expect(await reaches(settingsOf('worker', { TEMPORAL_TLS_SERVER_NAME: 'not-temporal' }))).toBe(false);
    // And without TLS at all the endpoint does not answer gRPC.
    expect(
      await reaches(
        settingsOf('worker', {
          TEMPORAL_TLS: 'false',
          TEMPORAL_TLS_CA_FILE: '',
          TEMPORAL_TLS_CERT_FILE: '',
          TEMPORAL_TLS_KEY_FILE: '',
        }),
      ),
    ).toBe(false);
  });

  it("[PLAT-15] the admin job's script creates the namespace and its search attributes over mutual TLS", async () => {
    const admin = path.join(tls, 'temporal-admin');
    const { stdout } = await promisify(execFile)(
      'sh',
      [path.join(repoRoot, 'deploy/temporal/setup-namespace.sh')],
      {
        env: {
          PATH: `${path.dirname(temporalCliPath())}:${process.env.PATH}`,
          TEMPORAL_ADDRESS: frontend.address,
          TEMPORAL_NAMESPACE: 'schools-mtls',
          TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(admin, 'tls.crt'),
          TEMPORAL_TLS_CLIENT_KEY_PATH: path.join(admin, 'tls.key'),
          TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(admin, 'ca.pem'),
          TEMPORAL_TLS_SERVER_NAME: 'temporal',
        },
        timeout: 60_000,
      },
    );
    expect(stdout).toContain('namespace schools-mtls is ready');
    const list = await dev.client.connection.operatorService.listSearchAttributes({
      namespace: 'schools-mtls',
    });
    expect(Object.keys(list.customAttributes ?? {})).toEqual(
      expect.arrayContaining(['Integration', 'SchoolYear', 'SourceId', 'IntegrationStatus']),
    );
  });
});
