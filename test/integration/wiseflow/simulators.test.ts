/** The WISEflow and Praktikportalen simulators' admin routes over HTTP, as an operator or the README uses them. */
import { createPraktikportalenClient } from '../../../adapters/praktikportalen';
import { createWiseflowClient, EXTERNAL_ASSESSOR_ROLE } from '../../../adapters/wiseflow';
import { TransientError } from '../../../platform/errors';
import { Secret } from '../../../platform/secret';
import {
  startPraktikportalenSimulator,
  type PraktikportalenSimulator,
} from '../../../simulators/praktikportalen';
import { startWiseflowSimulator, type WiseflowSimulator } from '../../../simulators/wiseflow';

let wiseflow: WiseflowSimulator;
let praktikportalen: PraktikportalenSimulator;

async function admin<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

beforeAll(async () => {
  wiseflow = await startWiseflowSimulator({ webhookRetryDelaysMs: [] });
  praktikportalen = await startPraktikportalenSimulator();
});
afterAll(async () => {
  await wiseflow.close();
  await praktikportalen.close();
});
beforeEach(() => {
  wiseflow.reset();
  praktikportalen.state.reset();
  praktikportalen.faults.reset();
});

describe('WISEflow simulator admin', () => {
  it('[WF-4] the licence is set through admin: without Praktikportalen, without the access-token module', async () => {
    const info = await admin<{ userDataTypes: unknown[]; modules: { accessToken: boolean } }>(
      wiseflow.url,
      'POST',
      '/__admin/licence',
      { userDataTypes: [{ id: 3, name: 'CPR' }], accessTokenModule: false },
    );
    expect(info.body).toMatchObject({
      userDataTypes: [{ id: 3, name: 'CPR' }],
      modules: { accessToken: false },
    });
  });

  it('[WF-3] flows are added and moved through their states and dates through admin', async () => {
    expect((await admin(wiseflow.url, 'POST', '/__admin/flows', { id: 7, title: 'Praktik' })).status).toBe(
      201,
    );
    const moved = await admin<{ state: string }>(wiseflow.url, 'POST', '/__admin/flows/7/state', {
      state: 'PARTICIPATION_STARTED',
    });
    expect(moved.body.state).toBe('PARTICIPATION_STARTED');
    const dated = await admin<{ markingStart: number }>(wiseflow.url, 'POST', '/__admin/flows/7/dates', {
      markingStart: 1_900_000_000,
    });
    expect(dated.body.markingStart).toBe(1_900_000_000);
    expect((await admin(wiseflow.url, 'POST', '/__admin/flows/7/state', { state: 'DONE' })).status).toBe(400);
    expect((await admin(wiseflow.url, 'POST', '/__admin/flows/8/state', { state: 'CONCLUDED' })).status).toBe(
      404,
    );
  });

  it('[WF-2] link checks and the clock through admin', async () => {
    const { user } = wiseflow.state.upsertUser({
      firstName: 'Mette',
      lastName: 'Pedersen',
      emails: ['mette@example.dk'],
      roles: [EXTERNAL_ASSESSOR_ROLE],
      externalIds: [{ userDataTypeId: 7, value: 'pp-sup-1' }],
    });
    const token = wiseflow.state.createAccessToken(user.userId, wiseflow.state.now() + 3600);
    expect((await admin(wiseflow.url, 'GET', `/__admin/access/${token.token}`)).body).toMatchObject({
      valid: true,
    });
    await admin(wiseflow.url, 'POST', '/__admin/clock', { advanceSeconds: 3601 });
    expect((await admin(wiseflow.url, 'GET', `/__admin/access/${token.token}`)).body).toEqual({
      valid: false,
      reason: 'expired',
      userId: user.userId,
    });
    expect((await admin(wiseflow.url, 'GET', '/__admin/access/nope')).body).toEqual({
      valid: false,
      reason: 'unknown',
    });
  });

  it('[WF-5] update requests, duplicates and redeliveries through admin; deliveries are listed', async () => {
    const received: string[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      received.push(String(req.headers['x-delivery-id']));
      res.statusCode = 204;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    try {
      wiseflow.state.seed({
        flows: [{ id: 7, title: 'Praktik' }],
        webhooks: [{ url, secret: 'webhook-secret', events: ['FLOW_EXTERNAL_SOURCE'] }],
      });
      wiseflow.state.addExternalSource(7, 'PP-1', '');
      await admin(wiseflow.url, 'POST', '/__admin/webhooks/settings', { duplicateNext: 1 });
      const update = await admin<{ requestId: string; deliveries: Array<{ deliveryId: string }> }>(
        wiseflow.url,
        'POST',
        '/__admin/flows/7/request-update?wait=true',
      );
      expect(update.status).toBe(201);
      expect(received).toHaveLength(2);
      expect(new Set(received).size).toBe(1);
      const again = await admin(
        wiseflow.url,
        'POST',
        `/__admin/deliveries/${update.body.deliveries[0]?.deliveryId}/redeliver`,
      );
      expect(again.status).toBe(201);
      expect(received).toHaveLength(3);
      const listed = await admin<Array<{ outcome: string }>>(wiseflow.url, 'GET', '/__admin/deliveries');
      expect(listed.body.map((d) => d.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
      const state = await admin<{
        flows: Array<{ externalSources: Array<{ syncState: string; requestId: string }> }>;
      }>(wiseflow.url, 'GET', '/__admin/state');
      expect(state.body.flows[0]?.externalSources[0]).toMatchObject({
        syncState: 'PENDING',
        requestId: update.body.requestId,
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a slow WISEflow times out as a transient failure', async () => {
    const client = createWiseflowClient({
      baseUrl: `${wiseflow.url}/v1`,
      clientId: 'integrations',
      clientSecret: new Secret('local-wiseflow-secret'),
      clientName: 'test',
      timeoutMs: 100,
    });
    await admin(wiseflow.url, 'POST', '/__admin/faults', { latencyMs: 300 });
    await expect(client.getLicenseInfo()).rejects.toBeInstanceOf(TransientError);
    await admin(wiseflow.url, 'DELETE', '/__admin/faults');
    expect((await client.getLicenseInfo()).licenseId).toBeGreaterThan(0);
  });
});

describe('Praktikportalen simulator admin', () => {
  const sup = (id: string, first: string) => ({
    praktikportalenId: id,
    firstName: first,
    lastName: 'Hansen',
    email: `${first.toLowerCase()}@example.dk`,
  });

  it('[WF-6] supervisors are added, corrected, replaced and removed through admin; the API shows each change', async () => {
    const client = createPraktikportalenClient({
      baseUrl: `${praktikportalen.url}/api/v1`,
      apiKey: new Secret('local-praktikportalen-key'),
    });
    const p = praktikportalen.url;
    expect(
      (
        await admin(p, 'POST', '/__admin/periods', {
          periodNumber: 'PP-9',
          title: 'Praktik',
          startDate: '2027-02-01',
          endDate: '2027-04-30',
          supervisors: [sup('s-1', 'Mette')],
        })
      ).status,
    ).toBe(201);
    expect((await admin(p, 'POST', '/__admin/periods/PP-9/supervisors', sup('s-2', 'Lars'))).status).toBe(
      201,
    );
    expect((await admin(p, 'POST', '/__admin/periods/PP-9/supervisors', sup('s-2', 'Lars'))).status).toBe(
      409,
    );
    await admin(p, 'PATCH', '/__admin/periods/PP-9/supervisors/s-2', { email: 'lars.hansen@example.dk' });
    await admin(p, 'POST', '/__admin/periods/PP-9/supervisors/s-1/replace', sup('s-3', 'Sofie'));
    await admin(p, 'POST', '/__admin/periods/PP-9/students', sup('st-1', 'Emma'));
    let period = await client.getPeriod('PP-9');
    expect(period?.supervisors.map((s) => [s.praktikportalenId, s.email])).toEqual([
      ['s-2', 'lars.hansen@example.dk'],
      ['s-3', 'sofie@example.dk'],
    ]);
    expect(period?.students.map((s) => s.praktikportalenId)).toEqual(['st-1']);
    await client.publishAccessLink({
      periodNumber: 'PP-9',
      praktikportalenId: 's-2',
      url: 'http://wf.test/access/x',
      expires: 2_000_000_000,
    });
    expect((await admin(p, 'GET', '/__admin/periods/PP-9/links')).body).toHaveLength(1);
    expect((await admin(p, 'DELETE', '/__admin/periods/PP-9/supervisors/s-2')).status).toBe(204);
    expect((await admin(p, 'GET', '/__admin/periods/PP-9/links')).body).toEqual([]);
    period = await client.getPeriod('PP-9');
    expect(period?.supervisors.map((s) => s.praktikportalenId)).toEqual(['s-3']);
    expect((await admin(p, 'DELETE', '/__admin/periods/PP-9/supervisors/s-2')).status).toBe(404);
  });

  it('a slow Praktikportalen times out as a transient failure', async () => {
    praktikportalen.state.seed({
      periods: [{ periodNumber: 'PP-9', title: 'x', startDate: '2027-02-01', endDate: '2027-04-30' }],
    });
    const client = createPraktikportalenClient({
      baseUrl: `${praktikportalen.url}/api/v1`,
      apiKey: new Secret('local-praktikportalen-key'),
      timeoutMs: 100,
    });
    await admin(praktikportalen.url, 'POST', '/__admin/faults', { latencyMs: 300 });
    await expect(client.getPeriod('PP-9')).rejects.toBeInstanceOf(TransientError);
  });
});
