/**
 * The WISEflow simulator: the public API's endpoints the Praktikportalen integration uses, under
 * `/v1` (REFERENCE.md), OAuth2 client credentials, the per-second and per-minute limits, the
 * access links a supervisor clicks (`/access/:token`), signed webhooks, and `/__admin` for tests and
 * the demo (state, seed, faults, flow states, update requests, link checks, the clock).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  answerFailure,
  FaultCounters,
  latencySchema,
  registerMalformedAnswers,
  sleep,
} from '../common/faults';
import { listen, type RunningSimulator } from '../elearning-common';
import { RateLimiter, WISEFLOW_RATE_LIMITS, type RateLimits } from './rate-limit';
import {
  flowStates,
  HttpProblem,
  seedSchema,
  userInputSchema,
  webhookInputSchema,
  WiseflowState,
  type WiseflowSeed,
} from './state';
import { WiseflowWebhooks } from './webhooks';

export const API_PREFIX = '/v1';
export const TOKEN_PATH = `${API_PREFIX}/oauth2/token`;
const TOKEN_TTL_SECONDS = 3600;
const MAX_PAGE = 100;

export interface WiseflowSimulatorOptions {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** Accepted in `x-api-key` instead of a bearer token. */
  apiKey?: string;
  /** Waits between webhook attempts (default: WISEflow's 8 retries, 15 minutes apart). */
  webhookRetryDelaysMs?: number[];
  rateLimits?: RateLimits;
  seed?: WiseflowSeed;
  /**
   * WISEflow's clock in ms (access-token expiry, creation and sync times); a time-skipping test passes
   * the test server's. The rate limits and OAuth tokens keep the real clock.
   */
  now?: () => number;
}

const wiseflowFaultFields = {
  latencyMs: latencySchema.default(0),
  /** The next `rateLimitNext` API requests answer 429 as if this window of the limiter were spent. */
  rateLimitWindow: z.enum(['second', 'minute']).default('second'),
};
type WiseflowFaults = FaultCounters<typeof wiseflowFaultFields>;
type FaultSettings = WiseflowFaults['settings'];
type FaultPatch = Parameters<WiseflowFaults['set']>[0];

export interface WiseflowSimulator extends RunningSimulator<WiseflowState> {
  faults: FaultSettings;
  setFaults(patch: FaultPatch): FaultSettings;
  limiter: RateLimiter;
  webhooks: WiseflowWebhooks;
  /** Requests to `/v1` answered, by `METHOD /path-pattern`. */
  requests: Record<string, number>;
  /** Requests to `/v1` answered, by their `X-Client-Name`. */
  clientNames: Record<string, number>;
  /** Clears state, faults, limits, tokens and counters (as `POST /__admin/reset`). */
  reset(): void;
}

const id = z.coerce.number().int().positive();
const flowParams = z.object({ flowId: id });
const flowDatesSchema = z.object({
  participationStart: z.number().int().optional(),
  participationEnd: z.number().int().optional(),
  markingStart: z.number().int().optional(),
  markingEnd: z.number().int().optional(),
});

function isApi(url: string): boolean {
  return url.startsWith(`${API_PREFIX}/`);
}

/** Starts a WISEflow simulator (one licence, one credential set). */
export async function startWiseflowSimulator(
  opts: WiseflowSimulatorOptions = {},
): Promise<WiseflowSimulator> {
  const clientId = opts.clientId ?? 'integrations';
  const clientSecret = opts.clientSecret ?? 'local-wiseflow-secret';
  const webhooks = new WiseflowWebhooks(opts.webhookRetryDelaysMs);
  // The link base is known once listening; a placeholder until then.
  const state = new WiseflowState(webhooks, 'http://127.0.0.1/access', opts.now);
  if (opts.seed) state.seed(opts.seed);
  const limiter = new RateLimiter(opts.rateLimits ?? WISEFLOW_RATE_LIMITS);
  const tokens = new Map<string, number>();
  const requests: Record<string, number> = {};
  const clientNames: Record<string, number> = {};
  const faults: WiseflowFaults = new FaultCounters(wiseflowFaultFields);
  const setFaults = (patch: FaultPatch): FaultSettings => faults.set(patch);
  const rateLimits = opts.rateLimits ?? WISEFLOW_RATE_LIMITS;
  const reset = (): void => {
    state.reset();
    limiter.reset();
    limiter.limits = { ...rateLimits };
    tokens.clear();
    faults.reset();
    for (const key of Object.keys(requests)) delete requests[key];
    for (const key of Object.keys(clientNames)) delete clientNames[key];
  };

  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-trace-id', randomUUID());
    if (!isApi(request.url)) return;
    if (faults.settings.latencyMs > 0) await sleep(faults.settings.latencyMs);
    const forced = faults.take('rate-limit') ? faults.settings.rateLimitWindow : undefined;
    const decision = limiter.take(Date.now(), forced);
    reply.headers(decision.headers);
    if (!decision.allowed) {
      return reply.code(429).send({ error: `rate limit per ${decision.refusedBy} exceeded` });
    }
    if (faults.take('fail')) return answerFailure(reply, faults.settings.failStatus);
    if (request.url.startsWith(TOKEN_PATH)) return;
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const apiKey = request.headers['x-api-key'];
    const byToken = bearer !== undefined && (tokens.get(bearer) ?? 0) > Date.now();
    const byKey = opts.apiKey !== undefined && apiKey === opts.apiKey;
    if (!byToken && !byKey) return reply.code(401).send({ error: 'missing or expired access token' });
    if (faults.take('malformed')) request.malformedAnswer = true;
  });
  registerMalformedAnswers(app);
  app.addHook('onResponse', async (request) => {
    if (!isApi(request.url)) return;
    const key = `${request.method} ${request.routeOptions.url ?? request.url}`;
    requests[key] = (requests[key] ?? 0) + 1;
    const name = request.headers['x-client-name'];
    const client = typeof name === 'string' ? name : '(none)';
    clientNames[client] = (clientNames[client] ?? 0) + 1;
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  app.post(TOKEN_PATH, async (request, reply) => {
    const form = z
      .object({ grant_type: z.string(), client_id: z.string(), client_secret: z.string() })
      .safeParse(request.body);
    if (!form.success || form.data.grant_type !== 'client_credentials') {
      return reply.code(400).send({ error: 'unsupported_grant_type' });
    }
    if (form.data.client_id !== clientId || form.data.client_secret !== clientSecret) {
      return reply.code(401).send({ error: 'invalid_client' });
    }
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, Date.now() + TOKEN_TTL_SECONDS * 1000);
    return { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS };
  });

  registerApi(app, state);
  registerAccessLinks(app, state);
  registerAdmin(app, state, {
    faults,
    limiter,
    webhooks,
    requests,
    clientNames,
    reset,
  });
  app.setErrorHandler((err, _request, reply) => {
    if (err instanceof HttpProblem) return reply.code(err.statusCode).send({ error: err.message });
    if (err instanceof z.ZodError) return reply.code(400).send({ error: z.prettifyError(err) });
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send({ error: (err as Error).message });
  });

  const running = await listen(app, opts.port ?? 0, state);
  state.accessLinkBase = `${running.url}/access`;
  return {
    ...running,
    get faults() {
      return faults.settings;
    },
    setFaults,
    limiter,
    webhooks,
    requests,
    clientNames,
    reset,
    close: async () => {
      webhooks.close();
      await webhooks.settled();
      await running.close();
    },
  };
}

function registerApi(app: FastifyInstance, state: WiseflowState): void {
  const p = API_PREFIX;
  app.get(`${p}/license/info`, async () => state.licenseInfo());
  app.get(`${p}/license/assessor-types`, async () => state.assessorTypes);

  app.post(`${p}/license/user`, async (request, reply) => {
    const { user, created } = state.upsertUser(userInputSchema.parse(request.body));
    const { kind: _k, ...answer } = user;
    return reply.code(created ? 201 : 200).send(answer);
  });
  app.get(`${p}/user/userDataType/:typeId/:value`, async (request) => {
    const { typeId, value } = z.object({ typeId: id, value: z.string().min(1) }).parse(request.params);
    const user = state.findUserByExternalId(typeId, value);
    if (!user) throw new HttpProblem(404, 'no user with that external id');
    const { kind: _k, ...answer } = user;
    return answer;
  });
  app.post(`${p}/user/:userId/access-token`, async (request, reply) => {
    const { userId } = z.object({ userId: id }).parse(request.params);
    const body = z
      .object({
        expirationDate: z.number().int().positive().optional(),
        sendEmail: z.boolean().default(false),
        email: z.email().optional(),
      })
      .parse(request.body ?? {});
    return reply.code(201).send(state.createAccessToken(userId, body.expirationDate));
  });

  app.get(`${p}/flows/:flowId`, async (request) => state.flowView(flowParams.parse(request.params).flowId));
  app.patch(`${p}/flows/:flowId/dates`, async (request) => {
    const dates = flowDatesSchema.parse(request.body);
    const flow = state.setFlowDates(flowParams.parse(request.params).flowId, dates);
    state.webhooks
      .send(state.webhookRegistrations, { event: 'FLOW_PERIOD_UPDATED', flowId: flow.id })
      .catch(() => {});
    return flow;
  });

  app.post(`${p}/flows/:flowId/assessor-types`, async (request, reply) => {
    const { flowId } = flowParams.parse(request.params);
    const { assessorTypeId } = z.object({ assessorTypeId: id }).parse(request.body);
    const { added } = state.addAssessorType(flowId, assessorTypeId);
    return reply.code(added ? 201 : 200).send({ flowId, assessorTypeId });
  });
  app.get(`${p}/flows/:flowId/assessors`, async (request) => {
    const { flowId } = flowParams.parse(request.params);
    const { offset, limit } = z
      .object({
        offset: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(MAX_PAGE),
      })
      .parse(request.query);
    const all = state.flow(flowId).assessors;
    return { data: all.slice(offset, offset + limit), total: all.length, offset, limit };
  });
  app.post(`${p}/flows/:flowId/assessors`, async (request, reply) => {
    const { flowId } = flowParams.parse(request.params);
    const body = z
      .object({
        userId: id.optional(),
        email: z.email().optional(),
        userData: z.object({ userDataTypeId: id, value: z.string().min(1) }).optional(),
        assessorTypeId: id,
      })
      .parse(request.body);
    const user =
      body.userId !== undefined
        ? state.users.get(body.userId)
        : body.userData
          ? state.findUserByExternalId(body.userData.userDataTypeId, body.userData.value)
          : [...state.users.values()].find((u) => body.email !== undefined && u.emails.includes(body.email));
    if (!user) throw new HttpProblem(404, 'user not found');
    return reply.code(201).send(state.addAssessor(flowId, user.userId, body.assessorTypeId));
  });
  app.delete(`${p}/flows/:flowId/assessors/:assessorId`, async (request, reply) => {
    const { flowId, assessorId } = z.object({ flowId: id, assessorId: id }).parse(request.params);
    state.removeAssessor(flowId, assessorId);
    return reply.code(204).send();
  });

  const sourceView = (s: ReturnType<WiseflowState['externalSource']>) => {
    const { failReason: _f, requestId: _r, ...view } = s;
    return view;
  };
  app.get(`${p}/flows/:flowId/external-sources`, async (request) =>
    state.flow(flowParams.parse(request.params).flowId).externalSources.map(sourceView),
  );
  app.post(`${p}/flows/:flowId/external-sources`, async (request, reply) => {
    const { flowId } = flowParams.parse(request.params);
    const body = z
      .object({
        reference: z
          .string()
          .max(255)
          .regex(/^[a-zA-Z0-9-_]+$/),
        description: z.string().default(''),
      })
      .parse(request.body);
    return reply
      .code(201)
      .send(sourceView(state.addExternalSource(flowId, body.reference, body.description)));
  });
  app.get(`${p}/flows/:flowId/external-sources/:sourceId`, async (request) => {
    const { flowId, sourceId } = z.object({ flowId: id, sourceId: id }).parse(request.params);
    const source = state.flow(flowId).externalSources.find((s) => s.id === sourceId);
    if (!source) throw new HttpProblem(404, `external source ${sourceId} not found`);
    return sourceView(source);
  });
  app.delete(`${p}/flows/:flowId/external-sources/:sourceId`, async (request, reply) => {
    const { flowId, sourceId } = z.object({ flowId: id, sourceId: id }).parse(request.params);
    state.removeExternalSource(flowId, sourceId);
    return reply.code(204).send();
  });
  const syncParams = z.object({ flowId: id, reference: z.string().min(1) });
  app.post(`${p}/flows/:flowId/external-sources/:reference/sync/done`, async (request, reply) => {
    const { flowId, reference } = syncParams.parse(request.params);
    state.reportSync(flowId, reference, { done: true });
    return reply.code(204).send();
  });
  app.post(`${p}/flows/:flowId/external-sources/:reference/sync/fail`, async (request, reply) => {
    const { flowId, reference } = syncParams.parse(request.params);
    const { reason } = z.object({ reason: z.string().min(1).max(2000) }).parse(request.body);
    state.reportSync(flowId, reference, { done: false, reason });
    return reply.code(204).send();
  });

  app.get(`${p}/webhooks`, async () => state.webhookRegistrations.map(({ secret: _s, ...w }) => w));
  app.post(`${p}/webhooks`, async (request, reply) => {
    const { secret: _s, ...answer } = state.registerWebhook(webhookInputSchema.parse(request.body));
    return reply.code(201).send(answer);
  });
  app.delete(`${p}/webhooks/:webhookId`, async (request, reply) => {
    state.removeWebhook(z.object({ webhookId: id }).parse(request.params).webhookId);
    return reply.code(204).send();
  });
}

/** The link a supervisor clicks: logs in while it is the user's newest and unexpired link. */
function registerAccessLinks(app: FastifyInstance, state: WiseflowState): void {
  app.get('/access/:token', async (request: FastifyRequest, reply: FastifyReply) => {
    const { token } = z.object({ token: z.string().min(1) }).parse(request.params);
    const check = state.checkAccess(token);
    if (!check.valid) {
      return reply.code(401).type('text/html').send(`<h1>This link does not work</h1><p>${check.reason}</p>`);
    }
    const user = state.users.get(check.userId);
    return reply
      .type('text/html')
      .send(
        `<h1>WISEflow (simulator)</h1><p>Logged in as ${user?.firstName ?? ''} ${user?.lastName ?? ''}</p>`,
      );
  });
}

function registerAdmin(
  app: FastifyInstance,
  state: WiseflowState,
  x: {
    faults: WiseflowFaults;
    limiter: RateLimiter;
    webhooks: WiseflowWebhooks;
    requests: Record<string, number>;
    clientNames: Record<string, number>;
    reset: () => void;
  },
): void {
  const a = '/__admin';
  app.get(`${a}/state`, async () => ({
    ...state.snapshot(),
    deliveries: x.webhooks.deliveries,
    requests: x.requests,
    clientNames: x.clientNames,
    rateLimited: x.limiter.refused,
  }));
  app.post(`${a}/seed`, async (request) => {
    state.seed(seedSchema.parse(request.body ?? {}));
    return state.snapshot();
  });
  app.post(`${a}/reset`, async (_request, reply) => {
    x.reset();
    return reply.code(204).send();
  });
  app.get(`${a}/faults`, async () => x.faults.settings);
  app.post(`${a}/faults`, async (request) => x.faults.set((request.body ?? {}) as FaultPatch));
  app.delete(`${a}/faults`, async () => {
    x.faults.reset();
    return x.faults.settings;
  });
  app.post(`${a}/limits`, async (request) => {
    const limits = z
      .object({
        perSecond: z.number().int().min(1).optional(),
        perMinute: z.number().int().min(1).optional(),
      })
      .parse(request.body);
    x.limiter.limits = { ...x.limiter.limits, ...limits };
    return x.limiter.limits;
  });
  /** Licence settings: which user data types it has (WF-4) and whether it has the access-token module. */
  app.post(`${a}/licence`, async (request) => {
    const patch = z
      .object({
        userDataTypes: z.array(z.object({ id: id, name: z.string().min(1) })).optional(),
        accessTokenModule: z.boolean().optional(),
        requireUniqueEmails: z.boolean().optional(),
      })
      .parse(request.body);
    state.licence = { ...state.licence, ...patch };
    return state.licenseInfo();
  });
  app.post(`${a}/flows`, async (request, reply) => {
    state.seed({ flows: [request.body as never] });
    return reply.code(201).send(state.flowView((request.body as { id: number }).id));
  });
  app.post(`${a}/flows/:flowId/state`, async (request) => {
    const { state: next } = z.object({ state: z.enum(flowStates) }).parse(request.body);
    return state.setFlowState(flowParams.parse(request.params).flowId, next);
  });
  app.post(`${a}/flows/:flowId/dates`, async (request) => {
    const dates = flowDatesSchema.parse(request.body);
    return state.setFlowDates(flowParams.parse(request.params).flowId, dates);
  });
  /** A manager presses "update": `?wait=true` answers after the deliveries (with retries) ended. */
  app.post(`${a}/flows/:flowId/request-update`, async (request, reply) => {
    const { flowId } = flowParams.parse(request.params);
    state.flow(flowId);
    const wait = (request.query as { wait?: string }).wait === 'true';
    const sending = state.requestUpdate(flowId);
    if (wait) return reply.code(201).send(await sending);
    sending.catch(() => {});
    const requestId = state.flow(flowId).externalSources[0]?.requestId;
    return reply.code(202).send({ accepted: true, requestId });
  });
  app.get(`${a}/access/:token`, async (request) =>
    state.checkAccess(z.object({ token: z.string().min(1) }).parse(request.params).token),
  );
  app.get(`${a}/deliveries`, async () => x.webhooks.deliveries);
  app.post(`${a}/deliveries/:deliveryId/redeliver`, async (request, reply) => {
    const { deliveryId } = z.object({ deliveryId: z.string().min(1) }).parse(request.params);
    return reply.code(201).send(await x.webhooks.redeliver(deliveryId, state.webhookRegistrations));
  });
  app.post(`${a}/webhooks/settings`, async (request) => {
    const s = z
      .object({
        retryDelaysMs: z.array(z.number().int().min(0)).max(20).optional(),
        duplicateNext: z.number().int().min(0).optional(),
      })
      .parse(request.body);
    if (s.retryDelaysMs) x.webhooks.retryDelaysMs = s.retryDelaysMs;
    if (s.duplicateNext !== undefined) x.webhooks.duplicateNext = s.duplicateNext;
    return { retryDelaysMs: x.webhooks.retryDelaysMs, duplicateNext: x.webhooks.duplicateNext };
  });
  /** Moves WISEflow's clock (access-token expiry, sync times) by seconds, either way. */
  app.post(`${a}/clock`, async (request) => {
    const { offsetSeconds, advanceSeconds } = z
      .object({ offsetSeconds: z.number().int().optional(), advanceSeconds: z.number().int().optional() })
      .parse(request.body);
    if (offsetSeconds !== undefined) state.clockOffsetSeconds = offsetSeconds;
    if (advanceSeconds !== undefined) state.clockOffsetSeconds += advanceSeconds;
    return { now: state.now(), offsetSeconds: state.clockOffsetSeconds };
  });
}
