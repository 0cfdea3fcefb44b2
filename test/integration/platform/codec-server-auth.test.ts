import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { createEncryptionCodec } from '../../../platform/codec';
import { ConfigError, loadConfig } from '../../../platform/config';
import { Secret } from '../../../platform/secret';
import { repoRoot } from '../../../platform/tools';
import {
  fromJsonPayload,
  startCodecServer,
  toJsonPayload,
  type CodecServer,
  type PayloadsBody,
} from '../../../services/codec-server';
import type { CodecAuditEntry } from '../../../services/codec-server/server';
import { codecAuthFromConfig, createAuthenticator } from '../../../services/codec-server/auth';

const uiOrigin = 'https://temporal.school.example';
const issuer = 'https://idp.school.example/realms/staff';
const audience = 'temporal-ui';
const staticToken = 'a-long-enough-codec-token-for-the-cli';
const keys = { k1: randomBytes(32).toString('base64') };
const codec = createEncryptionCodec({ keys, activeKeyId: 'k1' });

let jwks: Server;
let jwksUrl: string;
let jwksRequests = 0;
let signingKey: CryptoKey;
let rogueKey: CryptoKey;
let server: CodecServer;
const audit: CodecAuditEntry[] = [];

/** The identity provider's JWKS endpoint: our own generated public key, over real HTTP. */
async function startJwks(publicJwk: object): Promise<void> {
  jwks = createServer((req, res) => {
    jwksRequests++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/protocol/openid-connect/certs`;
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  rogueKey = (await generateKeyPair('RS256')).privateKey;
  await startJwks({ ...(await exportJWK(pair.publicKey)), kid: 'idp-key-1', alg: 'RS256', use: 'sig' });
  server = await startCodecServer({
    port: 0,
    codec,
    corsOrigins: [uiOrigin],
    audit: (entry) => audit.push(entry),
    authenticate: createAuthenticator({
      token: new Secret(staticToken),
      jwt: {
        jwksUrl,
        issuer,
        audience: [audience],
        groupsClaim: 'realm_access.roles',
        requiredGroups: ['integration-operators'],
      },
    }),
  });
});

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => jwks?.close(resolve));
});

interface TokenOptions {
  claims?: JWTPayload;
  key?: CryptoKey;
  iss?: string;
  aud?: string;
  expiresIn?: string | number;
}

async function accessToken(opts: TokenOptions = {}): Promise<string> {
  return new SignJWT({
    email: 'anna.operator@school.example',
    realm_access: { roles: ['integration-operators', 'staff'] },
    ...opts.claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'idp-key-1' })
    .setSubject('user-3f1c')
    .setIssuer(opts.iss ?? issuer)
    .setAudience(opts.aud ?? audience)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m')
    .sign(opts.key ?? signingKey);
}

async function decode(authorization?: string) {
  const payloads = await codec.encode([defaultPayloadConverter.toPayload({ learner: '19121212-1212' })]);
  const res = await fetch(`${server.url}/decode`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: uiOrigin,
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify({ payloads: payloads.map(toJsonPayload) }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
}

const message = (body: unknown): string => (body as { message: string }).message;

describe('codec server authentication', () => {
  it('[PLAT-15] decodes for a signed-in user whose access token the identity provider signed', async () => {
    const res = await decode(`Bearer ${await accessToken()}`);
    expect(res.status).toBe(200);
    const first = (res.body as PayloadsBody).payloads[0];
    expect(defaultPayloadConverter.fromPayload(fromJsonPayload(first!))).toEqual({
      learner: '19121212-1212',
    });
    expect(res.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(jwksRequests).toBeGreaterThan(0);
    expect(audit.at(-1)).toEqual({
      operation: 'decode',
      caller: 'user-3f1c (anna.operator@school.example)',
      namespace: null,
      payloads: 1,
    });
  });

  it('[PLAT-15] refuses an expired token, a token for another audience or issuer, and a key the provider never published', async () => {
    const cases: Array<[TokenOptions, RegExp]> = [
      [{ expiresIn: Math.floor(Date.now() / 1000) - 120 }, /expired/],
      [{ aud: 'another-application' }, /"aud"/],
      [{ iss: 'https://idp.elsewhere.example' }, /"iss"/],
      [{ key: rogueKey }, /not valid \(ERR_JWS_SIGNATURE_VERIFICATION_FAILED\)/],
    ];
    for (const [opts, why] of cases) {
      const res = await decode(`Bearer ${await accessToken(opts)}`);
      expect({ status: res.status, message: message(res.body) }).toEqual({
        status: 401,
        message: expect.stringMatching(why),
      });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(JSON.stringify(res.body)).not.toContain('19121212-1212');
    }
  });

  it('[PLAT-15] refuses a token signed with a shared secret (HS256), whatever its claims', async () => {
    const forged = await new SignJWT({ realm_access: { roles: ['integration-operators'] } })
      .setProtectedHeader({ alg: 'HS256', kid: 'idp-key-1' })
      .setSubject('attacker')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-secret-anyone-could-have-chosen'));
    expect((await decode(`Bearer ${forged}`)).status).toBe(401);
  });

  it('[PLAT-15] a valid token without the required group gets 403', async () => {
    const res = await decode(
      `Bearer ${await accessToken({ claims: { realm_access: { roles: ['staff'] } } })}`,
    );
    expect(res.status).toBe(403);
    expect(message(res.body)).toContain('realm_access.roles');
  });

  it('[PLAT-15] the static token stays a second method (CLI --codec-auth); nothing else decodes', async () => {
    expect((await decode(`Bearer ${staticToken}`)).status).toBe(200);
    expect(audit.at(-1)).toMatchObject({ operation: 'decode', caller: 'codec-token' });
    const audited = audit.length;
    expect((await decode()).status).toBe(401);
    expect((await decode(`Bearer ${staticToken}x`)).status).toBe(401);
    expect((await decode(`Basic ${Buffer.from(`u:${staticToken}`).toString('base64')}`)).status).toBe(401);
    expect(audit).toHaveLength(audited);
  });

  it('[PLAT-15] preflights and the health check stay open: browsers send no credentials on a preflight', async () => {
    const preflight = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: uiOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('[PLAT-15] an unreachable identity provider answers 503, never a decode', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const authenticate = createAuthenticator({
      jwt: { jwksUrl: `http://127.0.0.1:${port}/certs`, issuer, audience: [audience] },
    })!;
    await expect(authenticate(`Bearer ${await accessToken()}`)).rejects.toMatchObject({ statusCode: 503 });
  });
});

describe('codec server authentication from configuration', () => {
  const base = { CODEC_KEYS: JSON.stringify(keys), CODEC_ACTIVE_KEY_ID: 'k1' };
  const problems = (env: Record<string, string>): string[] => {
    try {
      codecAuthFromConfig(loadConfig(env, { usesSecret: (p) => p.startsWith('codec.') }));
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };

  it('[PLAT-15] production without any authentication is refused; locally it may run open', () => {
    expect(problems({ ...base, APP_ENV: 'production' })).toEqual([
      expect.stringMatching(
        /^CODEC_AUTH_JWKS_URL \/ CODEC_SERVER_TOKEN .*production decodes only for authenticated callers/,
      ),
    ]);
    expect(problems(base)).toEqual([]);
    expect(problems({ ...base, APP_ENV: 'production', CODEC_SERVER_TOKEN: staticToken })).toEqual([]);
  });

  it('[PLAT-15] a JWKS needs its issuer and audience', () => {
    expect(
      problems({ ...base, APP_ENV: 'production', CODEC_AUTH_JWKS_URL: 'https://idp.example/certs' }),
    ).toEqual([
      'CODEC_AUTH_ISSUER: is required with CODEC_AUTH_JWKS_URL',
      'CODEC_AUTH_AUDIENCE: is required with CODEC_AUTH_JWKS_URL',
    ]);
    const env = {
      ...base,
      APP_ENV: 'production',
      CODEC_AUTH_JWKS_URL: 'https://idp.example/certs',
      CODEC_AUTH_ISSUER: issuer,
      CODEC_AUTH_AUDIENCE: 'temporal-ui, temporal-cli',
      CODEC_AUTH_REQUIRED_GROUPS: 'integration-operators',
    };
    expect(problems(env)).toEqual([]);
    expect(codecAuthFromConfig(loadConfig(env, { usesSecret: () => false })).jwt).toEqual({
      jwksUrl: 'https://idp.example/certs',
      issuer,
      audience: ['temporal-ui', 'temporal-cli'],
      groupsClaim: 'groups',
      requiredGroups: ['integration-operators'],
    });
  });

  it('[PLAT-15] the codec server process refuses to start in production without authentication', () => {
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'dist/services/codec-server/main.js')], {
      env: { PATH: process.env.PATH, ...base, APP_ENV: 'production', CODEC_SERVER_PORT: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('CODEC_AUTH_JWKS_URL / CODEC_SERVER_TOKEN');
    expect(run.stderr).not.toContain(keys.k1);
  });
});
