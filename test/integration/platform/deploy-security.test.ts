import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { repoRoot } from '../../../platform/tools';

interface Service {
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  build?: string;
}
const compose = load(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const service = (name: string): Service => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
const appEnv = Object.fromEntries(
  readFileSync(path.join(repoRoot, 'deploy/app.env'), 'utf8')
    .split('\n')
    .map((l) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]]),
);
/** Where a service mounts its folder of deploy/secrets/tls, if it does. */
const tlsFolder = (s: Service): string | undefined =>
  s.volumes?.map((v) => v.split(':')[0]).find((source) => source?.startsWith('./deploy/secrets/tls'));

describe('docker-compose.yml publishes nothing unauthenticated (PLAT-15)', () => {
  it("[PLAT-15] Temporal's frontend requires client certificates of the private CA", () => {
    const env = service('temporal').environment ?? {};
    expect(env).toMatchObject({
      TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: 'true',
      TEMPORAL_TLS_FRONTEND_CERT: expect.any(String),
      TEMPORAL_TLS_FRONTEND_KEY: expect.any(String),
      TEMPORAL_TLS_CLIENT1_CA_CERT: expect.any(String),
      TEMPORAL_TLS_SERVER_CERT: expect.any(String),
    });
    expect(tlsFolder(service('temporal'))).toBe('./deploy/secrets/tls/temporal');
  });

  it("[PLAT-15] every caller of Temporal mounts its own client certificate, and none the CA's key", () => {
    const callers = Object.entries(compose.services).filter(
      ([name, s]) =>
        name !== 'temporal' &&
        (s.build === '.'
          ? !('CODEC_SERVER_PORT' in (s.environment ?? {}))
          : 'TEMPORAL_ADDRESS' in (s.environment ?? {})),
    );
    expect(callers.map(([name]) => name).sort()).toEqual(
      [
        'intake',
        'temporal-setup',
        'temporal-ui',
        'worker',
        'worker-roster-sync',
        'worker-competences',
        'worker-wiseflow',
      ].sort(),
    );
    const folders = callers.map(([name, s]) => [name, tlsFolder(s)]);
    expect(folders).toEqual(
      callers.map(([name]) => [
        name,
        `./deploy/secrets/tls/${name === 'temporal-setup' ? 'temporal-admin' : name}`,
      ]),
    );
    for (const [, s] of callers.filter(([, s]) => s.build === '.')) {
      const env = { ...appEnv, ...s.environment };
      expect(env).toMatchObject({
        TEMPORAL_TLS: 'true',
        TEMPORAL_TLS_SERVER_NAME: 'temporal',
        TEMPORAL_TLS_CERT_FILE: '/etc/temporal-tls/tls.crt',
        TEMPORAL_TLS_KEY_FILE: '/etc/temporal-tls/tls.key',
        TEMPORAL_TLS_CA_FILE: '/etc/temporal-tls/ca.pem',
      });
    }
    expect(service('temporal-ui').environment).toMatchObject({
      TEMPORAL_TLS_CERT: '/etc/temporal-tls/tls.crt',
      TEMPORAL_TLS_ENABLE_HOST_VERIFICATION: 'true',
    });
  });

  it('[PLAT-15] the Web UI signs operators in and forwards their access token to the codec server', () => {
    expect(service('temporal-ui').environment).toMatchObject({
      TEMPORAL_AUTH_ENABLED: 'true',
      TEMPORAL_AUTH_TYPE: 'oidc',
      TEMPORAL_CODEC_PASS_ACCESS_TOKEN: 'true',
    });
    expect(service('codec-server').environment).toMatchObject({
      CODEC_SERVER_TOKEN_FILE: expect.any(String),
      CODEC_AUTH_JWKS_URL: expect.any(String),
      CODEC_AUTH_AUDIENCE: expect.any(String),
    });
  });

  it('[PLAT-15] every published port is on loopback, except gRPC when an operator opens it (mutual TLS)', () => {
    const published = Object.entries(compose.services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => [name, String(p)] as const),
    );
    expect(published.length).toBeGreaterThan(3);
    for (const [name, port] of published) {
      if (name === 'temporal') expect(port).toBe('${TEMPORAL_PUBLISH_ADDRESS:-127.0.0.1}:7233:7233');
      else expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/) });
    }
  });
});
