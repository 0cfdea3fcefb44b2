import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { createEncryptionCodec } from '../../../platform/codec';
import { loadConfig } from '../../../platform/config';
import { Secret } from '../../../platform/secret';
import {
  startCodecServer,
  toJsonPayload,
  fromJsonPayload,
  type CodecServer,
  type PayloadsBody,
} from '../../../services/codec-server';

const uiOrigin = 'http://localhost:8233';
const token = 'a-long-enough-codec-token';
const codec = createEncryptionCodec({ keys: { k1: randomBytes(32).toString('base64') }, activeKeyId: 'k1' });
const learner = { learnerId: 'learner-42', personnummer: '19121212-1212' };

let open: CodecServer;
let guarded: CodecServer;

beforeAll(async () => {
  open = await startCodecServer({ port: 0, codec, corsOrigins: [uiOrigin] });
  guarded = await startCodecServer({ port: 0, codec, corsOrigins: [uiOrigin], token: new Secret(token) });
});

afterAll(async () => {
  await open?.close();
  await guarded?.close();
});

async function post(server: CodecServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
}

async function encrypted(value: unknown): Promise<PayloadsBody> {
  const payloads = await codec.encode([defaultPayloadConverter.toPayload(value)]);
  return { payloads: payloads.map(toJsonPayload) };
}

const firstPayload = (body: unknown): Payload => {
  const p = (body as PayloadsBody).payloads[0];
  if (!p) throw new Error('no payload in answer');
  return fromJsonPayload(p);
};

describe('codec server', () => {
  it('[PLAT-9] /decode turns an encrypted payload into the plain JSON payload', async () => {
    const body = await encrypted(learner);
    expect(JSON.stringify(body)).not.toContain('19121212-1212');

    const res = await post(open, '/decode', body);

    expect(res.status).toBe(200);
    const json = res.body as PayloadsBody;
    expect(Buffer.from(json.payloads[0]?.metadata?.encoding ?? '', 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(json.payloads[0]?.data ?? '', 'base64').toString())).toEqual(learner);
  });

  it('[PLAT-9] /encode then /decode round-trips, also under a /{namespace} prefix', async () => {
    const plain = { payloads: [toJsonPayload(defaultPayloadConverter.toPayload(learner))] };
    const enc = await post(open, '/default/encode', plain);
    expect(enc.status).toBe(200);
    expect(Buffer.from(firstPayload(enc.body).metadata?.encoding ?? []).toString()).toBe('binary/encrypted');

    const dec = await post(open, '/default/decode', enc.body);
    expect(defaultPayloadConverter.fromPayload(firstPayload(dec.body))).toEqual(learner);
  });

  it('[PLAT-9] a payload under an unknown key id answers 422 naming the key id', async () => {
    const other = createEncryptionCodec({
      keys: { 'retired-2024': randomBytes(32).toString('base64') },
      activeKeyId: 'retired-2024',
    });
    const payloads = await other.encode([defaultPayloadConverter.toPayload(learner)]);
    const res = await post(open, '/decode', { payloads: payloads.map(toJsonPayload) });
    expect(res.status).toBe(422);
    expect((res.body as { message: string }).message).toContain('"retired-2024"');
  });

  it('[PLAT-9] a body that is not {payloads: [...]} answers 400', async () => {
    const res = await post(open, '/decode', { payloads: [{ data: 'not base64 !!' }] });
    expect(res.status).toBe(400);
    expect((res.body as { message: string }).message).toMatch(/payloads\.0\.data/);
  });

  it('[PLAT-9] answers the Web UI preflight from its origin and allows its headers', async () => {
    const res = await fetch(`${guarded.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: uiOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace,authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['content-type', 'x-namespace', 'authorization']) expect(allowed).toContain(h);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('[PLAT-9] gives no CORS grant to an origin that is not configured', async () => {
    const res = await fetch(`${open.url}/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const post_ = await post(open, '/decode', await encrypted(learner), { origin: 'http://evil.test' });
    expect(post_.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('[PLAT-9] with a token configured, calls without the right bearer token get 401', async () => {
    const body = await encrypted(learner);
    expect((await post(guarded, '/decode', body)).status).toBe(401);
    expect(
      (await post(guarded, '/decode', body, { authorization: 'Bearer wrong-token-xxxxxxxx' })).status,
    ).toBe(401);

    const ok = await post(guarded, '/decode', body, { authorization: `Bearer ${token}`, origin: uiOrigin });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(defaultPayloadConverter.fromPayload(firstPayload(ok.body))).toEqual(learner);
  });

  it('[PLAT-9] the health check needs no token', async () => {
    const res = await fetch(`${guarded.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('codec server for the operator (PLAT-13)', () => {
  it('[PLAT-13] encodes no payloads sent as {} (what `temporal workflow query --codec-endpoint` sends for a query without arguments)', async () => {
    for (const body of [{}, { payloads: [] }, { payloads: null }]) {
      const res = await post(open, '/encode', body);
      expect({ body, status: res.status, answer: res.body }).toEqual({
        body,
        status: 200,
        answer: { payloads: [] },
      });
    }
    expect((await post(open, '/default/decode', {})).body).toEqual({ payloads: [] });
  });

  it('[PLAT-13] by default grants the local Web UI both as localhost and as 127.0.0.1', async () => {
    const { corsOrigins } = loadConfig({
      CODEC_KEYS: JSON.stringify({ k1: randomBytes(32).toString('base64') }),
      CODEC_ACTIVE_KEY_ID: 'k1',
    }).codec;
    const server = await startCodecServer({ port: 0, codec, corsOrigins });
    try {
      for (const origin of ['http://localhost:8233', 'http://127.0.0.1:8233']) {
        const preflight = await fetch(`${server.url}/decode`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST' },
        });
        expect({ origin, allowed: preflight.headers.get('access-control-allow-origin') }).toEqual({
          origin,
          allowed: origin,
        });
        const res = await post(server, '/decode', await encrypted(learner), { origin });
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      }
    } finally {
      await server.close();
    }
  });
});
