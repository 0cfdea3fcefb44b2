/** The WISEflow client against the WISEflow simulator over HTTP. */
import Fastify, { type FastifyInstance } from 'fastify';
import { DELIVERY_ID_HEADER, verifyDelivery } from '../../../adapters/elearning-push';
import {
  createWiseflowClient,
  EXTERNAL_ASSESSOR_ROLE,
  flowExternalSourceEventSchema,
  WISEFLOW_SIGNATURE_HEADER,
  type WiseflowClient,
} from '../../../adapters/wiseflow';
import { RejectedError, SchemaError, TransientError } from '../../../platform/errors';
import {
  createMemoryBudgetStore,
  rateBudgetsSetting,
  RateBudgets,
  spentBudgetOf,
} from '../../../platform/rate-budget';
import { Secret } from '../../../platform/secret';
import { startWiseflowSimulator, type WiseflowSimulator } from '../../../simulators/wiseflow';

const PP = 7;
const FLOW = 42;
const supervisor = (n: number) => ({
  firstName: `Vejleder${n}`,
  lastName: 'Hansen',
  emails: [`vejleder${n}@praktik.example.dk`],
  roles: [EXTERNAL_ASSESSOR_ROLE],
  externalIds: [{ userDataTypeId: PP, value: `pp-sup-${n}` }],
});

let sim: WiseflowSimulator;
let client: WiseflowClient;

const clientFor = (s: WiseflowSimulator, secret = 'local-wiseflow-secret'): WiseflowClient =>
  createWiseflowClient({
    baseUrl: `${s.url}/v1`,
    clientId: 'integrations',
    clientSecret: new Secret(secret),
    clientName: 'school-integrations-test',
    timeoutMs: 2000,
  });

async function failureOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  sim = await startWiseflowSimulator({ webhookRetryDelaysMs: [50, 50] });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.state.seed({ flows: [{ id: FLOW, title: 'Praktik 4. semester', state: 'ACTIVATED' }] });
  client = clientFor(sim);
});

describe('licence and users', () => {
  it('[WF-4] licence info names its user data types; without Praktikportalen the type is missing', async () => {
    expect((await client.getLicenseInfo()).userDataTypes).toEqual([{ id: PP, name: 'Praktikportalen' }]);
    sim.state.licence = { ...sim.state.licence, userDataTypes: [{ id: 3, name: 'CPR' }] };
    const info = await client.getLicenseInfo();
    expect(info.userDataTypes.some((t) => t.name === 'Praktikportalen')).toBe(false);
    const err = await failureOf(client.upsertUser(supervisor(1)));
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).status).toBe(400);
  });

  it('[WF-1] a supervisor is created once as an external assessor and found again by the Praktikportalen id', async () => {
    expect(await client.findUserByExternalId(PP, 'pp-sup-1')).toBeUndefined();
    const first = await client.upsertUser(supervisor(1));
    expect(first.created).toBe(true);
    const again = await client.upsertUser({ ...supervisor(1), emails: ['corrected@praktik.example.dk'] });
    expect(again).toMatchObject({ created: false, user: { userId: first.user.userId } });
    const found = await client.findUserByExternalId(PP, 'pp-sup-1');
    expect(found).toMatchObject({
      userId: first.user.userId,
      emails: ['corrected@praktik.example.dk'],
      roles: [EXTERNAL_ASSESSOR_ROLE],
    });
    expect([...sim.state.users.values()].map((u) => u.kind)).toEqual(['external-assessor']);
    expect(sim.state.userWrites).toEqual([
      { userId: first.user.userId, created: true, roles: [EXTERNAL_ASSESSOR_ROLE] },
      { userId: first.user.userId, created: false, roles: [EXTERNAL_ASSESSOR_ROLE] },
    ]);
  });

  it('[WF-1] the simulator shows a user made without the external-assessor role as ordinary', async () => {
    await client.upsertUser({ ...supervisor(2), roles: ['assessor'] });
    expect([...sim.state.users.values()].map((u) => u.kind)).toEqual(['ordinary']);
  });

  it('[PLAT-16] one token serves many calls, each sent with X-Client-Name', async () => {
    await client.getLicenseInfo();
    await client.listAssessorTypes();
    await client.getFlow(FLOW);
    expect(sim.requests['POST /v1/oauth2/token']).toBe(1);
    expect(sim.clientNames).toEqual({ 'school-integrations-test': 4 });
  });

  it('a token WISEflow forgot early is renewed once, then the call goes through', async () => {
    await client.getLicenseInfo();
    sim.reset();
    expect((await client.getLicenseInfo()).licenseId).toBeGreaterThan(0);
    expect(sim.requests).toMatchObject({ 'GET /v1/license/info': 2, 'POST /v1/oauth2/token': 1 });
  });

  it('wrong credentials are refused, not retried', async () => {
    const err = await failureOf(clientFor(sim, 'wrong-secret').getLicenseInfo());
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).status).toBe(401);
  });
});

describe('flows and assessors', () => {
  it('[WF-3] reads a flow with its state and dates; an unknown flow is undefined', async () => {
    sim.state.setFlowDates(FLOW, { markingStart: 1_900_000_000 });
    expect(await client.getFlow(FLOW)).toEqual({
      id: FLOW,
      title: 'Praktik 4. semester',
      state: 'ACTIVATED',
      markingStart: 1_900_000_000,
    });
    expect(await client.getFlow(999)).toBeUndefined();
  });

  it('[WF-1] adds the external assessor type once, the supervisor as assessor, and pages through all assessors', async () => {
    // Over 200 calls may fall in one second: this test is about paging, not the limit.
    sim.limiter.limits = { perSecond: 10_000, perMinute: 10_000 };
    const types = await client.listAssessorTypes();
    const external = types.find((t) => t.external);
    expect(external).toBeDefined();
    await client.addFlowAssessorType(FLOW, external!.id);
    await client.addFlowAssessorType(FLOW, external!.id);
    expect(sim.state.flows.get(FLOW)?.assessorTypeIds).toEqual([external!.id]);
    const ids: number[] = [];
    for (let n = 1; n <= 105; n++) {
      const { user } = await client.upsertUser(supervisor(n));
      ids.push(
        (await client.addFlowAssessor(FLOW, { userId: user.userId, assessorTypeId: external!.id }))
          .assessorId,
      );
    }
    const listed = await client.listFlowAssessors(FLOW);
    expect(listed.map((a) => a.assessorId)).toEqual(ids);
    expect(sim.requests['GET /v1/flows/:flowId/assessors']).toBe(2);
  });

  it('[WF-6] removing an assessor that is already gone counts as removed', async () => {
    const { user } = await client.upsertUser(supervisor(1));
    await client.addFlowAssessorType(FLOW, 3);
    const assessor = await client.addFlowAssessor(FLOW, { userId: user.userId, assessorTypeId: 3 });
    await client.removeFlowAssessor(FLOW, assessor.assessorId);
    await client.removeFlowAssessor(FLOW, assessor.assessorId);
    expect(await client.listFlowAssessors(FLOW)).toEqual([]);
    expect(sim.state.users.has(user.userId)).toBe(true);
  });

  it('[WF-3] an archived flow refuses assessors with a reason, and the trace id is kept in the details', async () => {
    const { user } = await client.upsertUser(supervisor(1));
    sim.state.setFlowState(FLOW, 'ARCHIVED');
    const err = await failureOf(client.addFlowAssessor(FLOW, { userId: user.userId, assessorTypeId: 3 }));
    expect(err).toBeInstanceOf(RejectedError);
    expect(err).toMatchObject({ status: 403, reason: 'FlowArchived' });
    expect(err.message).toMatch(/archived/);
    expect((err as RejectedError).verbatim).toMatch(/^X-Trace-Id [0-9a-f-]{36}/);
  });
});

describe('flow states on WISEflow’s clock', () => {
  it('[WF-3] a flow that follows its dates moves through its stages as the clock passes them; a state set by hand stays', async () => {
    const now = sim.state.now();
    sim.state.seed({
      flows: [
        {
          id: 43,
          title: 'Praktik 5. semester',
          followDates: true,
          participationStart: now + 86_400,
          participationEnd: now + 10 * 86_400,
          markingStart: now + 11 * 86_400,
          markingEnd: now + 20 * 86_400,
        },
      ],
    });
    const stateAfter = async (days: number) => {
      sim.state.clockOffsetSeconds = days * 86_400;
      return (await client.getFlow(43))?.state;
    };
    expect(await stateAfter(0)).toBe('ACTIVATED');
    expect(await stateAfter(2)).toBe('PARTICIPATION_STARTED');
    expect(await stateAfter(10.5)).toBe('PARTICIPATION_ENDED');
    expect(await stateAfter(3)).toBe('PARTICIPATION_ENDED');
    expect(await stateAfter(21)).toBe('CONCLUDED');
    sim.state.setFlowState(43, 'ARCHIVED');
    expect(await stateAfter(30)).toBe('ARCHIVED');
  });

  it('[WF-2] the simulator can run on another clock, e.g. a time-skipping test server’s', async () => {
    let clock = Date.parse('2027-02-01T08:00:00Z');
    const other = await startWiseflowSimulator({ now: () => clock });
    try {
      const c = clientFor(other);
      const { user } = await c.upsertUser(supervisor(1));
      const link = await c.createAccessToken(user.userId, {
        expirationDate: Date.parse('2027-02-08T08:00:00Z') / 1000,
        sendEmail: false,
      });
      expect(link.creationDate).toBe(Date.parse('2027-02-01T08:00:00Z') / 1000);
      expect(other.state.checkAccess(link.token).valid).toBe(true);
      clock = Date.parse('2027-02-08T08:00:01Z');
      expect(other.state.checkAccess(link.token)).toMatchObject({ valid: false, reason: 'expired' });
    } finally {
      await other.close();
    }
  });
});

describe('access links', () => {
  it('[WF-2] a new access token makes the older link stop working', async () => {
    const { user } = await client.upsertUser(supervisor(1));
    const expirationDate = Math.floor(Date.now() / 1000) + 7 * 86400;
    const first = await client.createAccessToken(user.userId, { expirationDate, sendEmail: false });
    expect(first).toMatchObject({ expires: expirationDate, url: `${sim.url}/access/${first.token}` });
    expect((await fetch(first.url)).status).toBe(200);
    const second = await client.createAccessToken(user.userId, { expirationDate, sendEmail: false });
    expect(sim.state.checkAccess(first.token)).toMatchObject({ valid: false, reason: 'superseded' });
    expect((await fetch(first.url)).status).toBe(401);
    expect((await fetch(second.url)).status).toBe(200);
    const admin = (await (await fetch(`${sim.url}/__admin/access/${second.token}`)).json()) as {
      valid: boolean;
    };
    expect(admin.valid).toBe(true);
  });

  it('[WF-2] a link stops working when it expires on WISEflow’s clock', async () => {
    const { user } = await client.upsertUser(supervisor(1));
    const link = await client.createAccessToken(user.userId, {
      expirationDate: Math.floor(Date.now() / 1000) + 3600,
      sendEmail: false,
    });
    sim.state.clockOffsetSeconds = 3601;
    expect(sim.state.checkAccess(link.token)).toMatchObject({ valid: false, reason: 'expired' });
  });

  it('[WF-2] a licence without the access-token module refuses with that reason', async () => {
    const { user } = await client.upsertUser(supervisor(1));
    sim.state.licence = { ...sim.state.licence, accessTokenModule: false };
    const err = await failureOf(
      client.createAccessToken(user.userId, { expirationDate: 2_000_000_000, sendEmail: false }),
    );
    expect(err).toMatchObject({ status: 403, reason: 'AccessTokenModuleMissing' });
    expect(err.message).toMatch(/access-token module/);
  });
});

describe('external sources and update requests', () => {
  it('[WF-3] adding the period as external source twice answers the existing source', async () => {
    const first = await client.addExternalSource(FLOW, {
      reference: 'PP-2027-04',
      description: 'Praktikperiode',
    });
    const again = await client.addExternalSource(FLOW, {
      reference: 'PP-2027-04',
      description: 'Praktikperiode',
    });
    expect(again).toEqual(first);
    expect(await client.listExternalSources(FLOW)).toEqual([first]);
  });

  it('[WF-5] sync done and sync failed with the reason reach the external source', async () => {
    await client.addExternalSource(FLOW, { reference: 'PP-1', description: '' });
    await sim.state.requestUpdate(FLOW);
    expect((await client.listExternalSources(FLOW))[0]?.syncState).toBe('PENDING');
    await client.reportSyncFailed(FLOW, 'PP-1', 'internship period PP-1 not found in Praktikportalen');
    expect(sim.state.flows.get(FLOW)?.externalSources[0]).toMatchObject({
      syncState: 'FAILED',
      failReason: 'internship period PP-1 not found in Praktikportalen',
    });
    await client.reportSyncDone(FLOW, 'PP-1');
    expect((await client.listExternalSources(FLOW))[0]).toMatchObject({
      syncState: 'SUCCESS',
      lastSync: expect.any(Number),
    });
  });

  describe('webhooks', () => {
    let receiver: FastifyInstance;
    let url: string;
    const received: Array<{ body: string; deliveryId: string; valid: boolean }> = [];
    let failFirst = 0;

    beforeAll(async () => {
      receiver = Fastify();
      receiver.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_r, body, done) =>
        done(null, body),
      );
      receiver.post('/hook', async (request, reply) => {
        const rawBody = request.body as Buffer;
        const deliveryId = request.headers[DELIVERY_ID_HEADER] as string;
        const check = verifyDelivery(
          {
            rawBody,
            signature: request.headers[WISEFLOW_SIGNATURE_HEADER] as string,
            deliveryId,
            now: Math.floor(Date.now() / 1000),
            toleranceSeconds: 300,
          },
          new Secret('webhook-secret-1'),
        );
        received.push({ body: rawBody.toString(), deliveryId, valid: check.ok });
        if (failFirst > 0) {
          failFirst--;
          return reply.code(503).send();
        }
        return reply.code(check.ok ? 204 : 401).send();
      });
      await receiver.listen({ port: 0, host: '127.0.0.1' });
      const address = receiver.server.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    });
    afterAll(async () => {
      await receiver.close();
    });
    beforeEach(() => {
      received.length = 0;
      failFirst = 0;
    });

    it('[WF-5] an update request is signed and delivered again after a failed answer, with the same delivery id', async () => {
      const hook = await fetch(`${sim.url}/v1/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await tokenOf(sim)}`,
        },
        body: JSON.stringify({
          url,
          secret: 'webhook-secret-1',
          events: ['FLOW_EXTERNAL_SOURCE'],
          active: true,
        }),
      });
      expect(hook.status).toBe(201);
      await client.addExternalSource(FLOW, { reference: 'PP-1', description: '' });
      failFirst = 1;
      const { requestId, deliveries } = await sim.state.requestUpdate(FLOW);
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]?.outcome).toBe('delivered');
      expect(received).toHaveLength(2);
      expect(received.every((r) => r.valid)).toBe(true);
      expect(new Set(received.map((r) => r.deliveryId)).size).toBe(1);
      expect(flowExternalSourceEventSchema.parse(JSON.parse(received[0]!.body))).toEqual({
        event: 'FLOW_EXTERNAL_SOURCE',
        requestId,
        flowId: FLOW,
        reference: 'PP-1',
      });
    });

    it('[WF-5] the duplicate switch delivers the same request twice; a wrong secret fails the signature', async () => {
      sim.state.registerWebhook({ url, secret: 'webhook-secret-1', events: ['FLOW_EXTERNAL_SOURCE'] });
      sim.webhooks.duplicateNext = 1;
      await sim.state.requestUpdate(FLOW);
      expect(received).toHaveLength(2);
      expect(received[0]).toEqual(received[1]);
      sim.state.reset();
      sim.state.seed({ flows: [{ id: FLOW, title: 'x' }] });
      received.length = 0;
      sim.state.registerWebhook({ url, secret: 'another-secret', events: ['FLOW_EXTERNAL_SOURCE'] });
      const { deliveries } = await sim.state.requestUpdate(FLOW);
      expect(received.map((r) => r.valid)).toEqual([false, false, false]);
      expect(deliveries[0]?.outcome).toBe('failed');
    });
  });
});

describe('faults', () => {
  it('[PLAT-16] a 429 on the per-minute limit is transient and says how long to wait', async () => {
    await client.getLicenseInfo();
    sim.setFaults({ rateLimitNext: 1, rateLimitWindow: 'minute' });
    const err = await failureOf(client.getLicenseInfo());
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).status).toBe(429);
    expect((err as TransientError).retryAfterMs).toBeGreaterThan(0);
    expect((err as TransientError).retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(sim.limiter.refused.minute).toBe(1);
  });

  it('[PLAT-16] the per-second limit answers 429 with the rate-limit headers', async () => {
    sim.limiter.limits = { perSecond: 3, perMinute: 5000 };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`${sim.url}/v1/license/info`, { headers: { 'x-api-key': 'none' } }),
      ),
    );
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]?.headers.get('x-ratelimit-second-remaining')).toBe('0');
    expect(limited[0]?.headers.get('x-ratelimit-second-limit')).toBe('3');
    expect(limited[0]?.headers.get('retry-after')).toBe('1');
    expect(limited[0]?.headers.get('ratelimit-limit')).toBe('3');
  });

  it('[PLAT-16] within the wiseflow budgets a 429 marks the budget of the window WISEflow names spent', async () => {
    const budgets = new RateBudgets(rateBudgetsSetting.parse(undefined), createMemoryBudgetStore());
    const budgeted = createWiseflowClient({
      baseUrl: `${sim.url}/v1`,
      clientId: 'integrations',
      clientSecret: new Secret('local-wiseflow-secret'),
      clientName: 'school-integrations-test',
      rateBudget: budgets.get('wiseflow-api'),
      rateBudgets: [budgets.get('wiseflow-api-minute')],
    });
    await budgeted.getLicenseInfo();
    expect(await budgets.get('wiseflow-api-minute').remaining()).toBe(4798);
    sim.setFaults({ rateLimitNext: 1, rateLimitWindow: 'minute' });
    const spent = spentBudgetOf(await failureOf(budgeted.getLicenseInfo()));
    expect(spent).toMatchObject({ budget: 'wiseflow-api-minute', reason: 'WISEflow answered 429' });
    expect(await budgets.get('wiseflow-api-minute').remaining()).toBe(0);
    expect(await budgets.get('wiseflow-api').remaining()).toBeGreaterThan(0);
  });

  it('a 5xx is transient, a malformed answer a schema error', async () => {
    await client.getLicenseInfo();
    sim.setFaults({ failNext: 1, failStatus: 502 });
    const err = await failureOf(client.getFlow(FLOW));
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).verbatim).toMatch(/^X-Trace-Id /);
    sim.setFaults({ malformedNext: 1 });
    expect(await failureOf(client.getFlow(FLOW))).toBeInstanceOf(SchemaError);
    expect(await client.getFlow(FLOW)).toMatchObject({ id: FLOW });
  });
});

async function tokenOf(s: WiseflowSimulator): Promise<string> {
  const res = await fetch(`${s.url}/v1/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=integrations&client_secret=local-wiseflow-secret',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}
