/**
 * InfoCaption as the competence lifecycle sees it: OAuth2 client credentials at `/oauth2/token`, the
 * public guides listing (`GET /API/public/guides`, as InfoCaption's public client code uses it), one
 * guide, and a modelled paged participants-and-results listing per course (InfoCaption publishes none;
 * docs/infocaption-winlas-apis.md). Admin routes under `/__admin` seed, generate, read, delete guides,
 * set faults and the rate limit, and count requests.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TokenIssuer } from '../coachview/tokens';
import { startCompetenceSimulator, type CompetenceSimulator, type RequestUsage } from '../competence-common';
import type { Guide, Result, User } from './model';
import { InfoCaptionState } from './state';

export const INFOCAPTION_TOKEN_PATH = '/oauth2/token';
export const INFOCAPTION_API_PREFIX = '/API/public';
/** The simulator's default request rate limit (requests a second per tenant); assumed, see the docs. */
export const INFOCAPTION_DEFAULT_RATE_LIMIT = 10;
export const GUIDES_MAX_HITS_PER_PAGE = 100;
export const RESULTS_MAX_HITS_PER_PAGE = 1000;

/** Route names for counters and per-route faults. */
export const infoCaptionRoutes = ['guides', 'guide', 'results'] as const;

export interface InfoCaptionSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  /** Requests a second the API answers before 429; null for none. */
  rateLimitPerSecond?: number | null;
  now?: () => number;
}

export interface InfoCaptionUsage extends RequestUsage {
  tokenRequests: number;
}

/** `reset()` clears state, faults, tokens and counters (the rate limit stays as configured). */
export type InfoCaptionSimulator = CompetenceSimulator<InfoCaptionState, InfoCaptionUsage>;

const pageNumber = z.coerce.number().int().min(1).default(1);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const typeList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(Number))
  .pipe(z.array(z.number().int()));

const guidesQuerySchema = z.object({
  page: pageNumber,
  hitsPerPage: z.coerce.number().int().min(1).max(GUIDES_MAX_HITS_PER_PAGE).default(20),
  searchQuery: z.string().optional(),
  published: flag.optional(),
});
const resultsQuerySchema = z.object({
  page: pageNumber,
  hitsPerPage: z.coerce.number().int().min(1).max(RESULTS_MAX_HITS_PER_PAGE).default(100),
  completedSince: z.iso.datetime({ offset: true }).optional(),
});
const idParams = z.object({ id: z.coerce.number().int().positive() });

export async function startInfoCaptionSimulator(
  opts: InfoCaptionSimulatorOptions = {},
): Promise<InfoCaptionSimulator> {
  const now = opts.now ?? Date.now;
  const state = new InfoCaptionState(now);
  const tokens = new TokenIssuer(
    opts.clientId ?? 'integrations',
    opts.clientSecret ?? 'local-infocaption-secret',
    opts.tokenTtlSeconds ?? 3600,
    now,
  );
  return startCompetenceSimulator({
    state,
    controls: {
      now,
      perSecond:
        opts.rateLimitPerSecond === undefined ? INFOCAPTION_DEFAULT_RATE_LIMIT : opts.rateLimitPerSecond,
      extraUsage: () => ({ tokenRequests: tokens.issued }),
      resetState: () => {
        state.reset();
        tokens.reset();
      },
    },
    port: opts.port,
    host: opts.host,
    apiPrefix: INFOCAPTION_API_PREFIX,
    authorize: (req) =>
      tokens.verify(req.headers.authorization)
        ? undefined
        : {
            status: 401,
            headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
            body: { error: 'invalid_token' },
          },
    open: (app) => registerTokenRoute(app, tokens),
    api: (api) => registerApi(api, state),
    admin: (admin) => registerAdmin(admin, state),
  });
}

function registerTokenRoute(app: FastifyInstance, tokens: TokenIssuer): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  app.post(INFOCAPTION_TOKEN_PATH, async (req, reply) => {
    const form = z
      .object({
        grant_type: z.string(),
        client_id: z.string().default(''),
        client_secret: z.string().default(''),
      })
      .safeParse(req.body ?? {});
    if (!form.success) return reply.code(400).send({ error: 'invalid_request' });
    if (form.data.grant_type !== 'client_credentials')
      return reply.code(400).send({ error: 'unsupported_grant_type' });
    const token = tokens.issue(form.data.client_id, form.data.client_secret);
    if (!token) return reply.code(401).send({ error: 'invalid_client' });
    return { access_token: token, token_type: 'Bearer', expires_in: tokens.ttlSeconds };
  });
}

function registerApi(api: FastifyInstance, state: InfoCaptionState): void {
  api.get('/guides', { config: { route: 'guides' } }, async (req, reply) => {
    const raw = req.query as Record<string, unknown>;
    const query = guidesQuerySchema.safeParse(raw);
    const types = typeList.safeParse(raw['type[]'] ?? raw.type);
    if (!query.success || !types.success) return reply.code(400).send({ error: 'invalid query' });
    const page = state.listGuides({ ...query.data, types: types.data });
    return { ...page, results: page.results.map(guideView) };
  });

  api.get('/guides/:id', { config: { route: 'guide' } }, async (req, reply) => {
    const params = idParams.safeParse(req.params);
    const guide = params.success ? state.guide(params.data.id) : undefined;
    if (!guide) return reply.code(404).send({ error: 'Guide not found' });
    return guideView(guide);
  });

  api.get('/guides/:id/results', { config: { route: 'results' } }, async (req, reply) => {
    const params = idParams.safeParse(req.params);
    const query = resultsQuerySchema.safeParse(req.query);
    if (!params.success || !query.success) return reply.code(400).send({ error: 'invalid query' });
    const { completedSince, ...rest } = query.data;
    const page = state.listResults({
      guideId: params.data.id,
      ...rest,
      ...(completedSince !== undefined ? { completedSince: Date.parse(completedSince) } : {}),
    });
    if (!page) return reply.code(404).send({ error: 'Guide not found' });
    return { guideId: params.data.id, ...page, results: page.results.map(resultView) };
  });
}

function registerAdmin(admin: FastifyInstance, state: InfoCaptionState): void {
  admin.post('/guides', async (req, reply) => reply.code(201).send(state.addGuide(req.body)));
  admin.patch('/guides/:id', async (req, reply) => {
    const guide = state.updateGuide(idParams.parse(req.params).id, req.body);
    return guide ?? reply.code(404).send({ error: 'Guide not found' });
  });
  admin.delete('/guides/:id', async (req, reply) =>
    state.deleteGuide(idParams.parse(req.params).id)
      ? reply.code(204).send()
      : reply.code(404).send({ error: 'Guide not found' }),
  );
  admin.post('/users', async (req, reply) => reply.code(201).send(state.addUser(req.body)));
  admin.patch('/users/:id', async (req, reply) => {
    const user = state.updateUser(idParams.parse(req.params).id, req.body);
    return user ?? reply.code(404).send({ error: 'User not found' });
  });
  admin.post('/results', async (req, reply) => {
    const result = state.addResult(req.body);
    return reply.code(201).send({ ...result, completedAt: new Date(result.completedAt).toISOString() });
  });
}

function guideView(g: Guide) {
  return { id: g.id, name: g.name, type: g.type, published: g.published };
}

function resultView({ result, user }: { result: Result; user: User }) {
  return {
    resultId: result.resultId,
    userId: user.userId,
    userName: user.userName,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    passed: result.passed,
    completedAt: new Date(result.completedAt).toISOString(),
  };
}
