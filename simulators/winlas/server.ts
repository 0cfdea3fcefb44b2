/**
 * WinLas as the competence lifecycle sees it. WinLas publishes no API, so every path and shape here is
 * an assumption (docs/infocaption-winlas-apis.md): an API key in `X-API-Key`; the competence tree with
 * each competence's default validity; persons by e-mail (trimmed, case-insensitive) and page by page;
 * a person's registrations; and registering a competence, idempotent by `externalKey`. Admin routes
 * under `/__admin` seed, generate, change persons, read state, set faults and the rate limit.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sameText } from '../coachview/constant-time';
import { startCompetenceSimulator, type CompetenceSimulator, type RequestUsage } from '../competence-common';
import type { Competence, Person, Registration } from './model';
import { RegistrationRefused, WinLasState } from './state';

export const WINLAS_API_PREFIX = '/api/v1';
export const WINLAS_API_KEY_HEADER = 'x-api-key';
/** The simulator's default request rate limit (requests a second per API key); assumed, see the docs. */
export const WINLAS_DEFAULT_RATE_LIMIT = 20;
export const PERSONS_MAX_PAGE_SIZE = 1000;

/** Route names for counters and per-route faults. */
export const winLasRoutes = [
  'competences',
  'competence',
  'persons',
  'person-search',
  'registrations',
  'register',
] as const;

export interface WinLasSimulatorOptions {
  port?: number;
  host?: string;
  apiKey?: string;
  /** Requests a second the API answers before 429; null for none. */
  rateLimitPerSecond?: number | null;
  now?: () => number;
}

export type WinLasUsage = RequestUsage;

export type WinLasSimulator = CompetenceSimulator<WinLasState, WinLasUsage>;

const idParams = z.object({ id: z.string().min(1) });
const personsQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(PERSONS_MAX_PAGE_SIZE).default(100),
});
const searchQuerySchema = z.object({ email: z.string().min(1) });
const registrationsQuerySchema = z.object({ competenceId: z.string().min(1).optional() });

export async function startWinLasSimulator(opts: WinLasSimulatorOptions = {}): Promise<WinLasSimulator> {
  const now = opts.now ?? Date.now;
  const apiKey = opts.apiKey ?? 'local-winlas-key';
  const state = new WinLasState(now);
  return startCompetenceSimulator({
    state,
    controls: {
      now,
      perSecond: opts.rateLimitPerSecond === undefined ? WINLAS_DEFAULT_RATE_LIMIT : opts.rateLimitPerSecond,
      resetState: () => state.reset(),
    },
    port: opts.port,
    host: opts.host,
    apiPrefix: WINLAS_API_PREFIX,
    authorize: (req) => {
      const given = req.headers[WINLAS_API_KEY_HEADER];
      return typeof given === 'string' && sameText(given, apiKey)
        ? undefined
        : { status: 401, body: { error: 'invalid or missing API key' } };
    },
    api: (api) => registerApi(api, state),
    admin: (admin) => registerAdmin(admin, state),
  });
}

function registerApi(api: FastifyInstance, state: WinLasState): void {
  api.get('/competences', { config: { route: 'competences' } }, async () => ({
    results: [...state.competences.values()].map(competenceView),
  }));
  api.get('/competences/:id', { config: { route: 'competence' } }, async (req, reply) => {
    const competence = state.competences.get(idParams.parse(req.params).id);
    return competence ? competenceView(competence) : reply.code(404).send({ error: 'Competence not found' });
  });
  api.get('/persons', { config: { route: 'persons' } }, async (req, reply) => {
    const query = personsQuerySchema.safeParse(req.query);
    if (!query.success) return reply.code(400).send({ error: 'invalid query' });
    const page = state.listPersons(query.data.page, query.data.pageSize);
    return { ...page, results: page.results.map(personView) };
  });
  api.get('/persons/search', { config: { route: 'person-search' } }, async (req, reply) => {
    const query = searchQuerySchema.safeParse(req.query);
    if (!query.success) return reply.code(400).send({ error: 'email is required' });
    return { results: state.findByEmail(query.data.email).map(personView) };
  });
  api.get('/persons/:id/registrations', { config: { route: 'registrations' } }, async (req, reply) => {
    const { id } = idParams.parse(req.params);
    const query = registrationsQuerySchema.safeParse(req.query);
    if (!query.success) return reply.code(400).send({ error: 'invalid query' });
    if (!state.persons.has(id)) return reply.code(404).send({ error: 'Person not found' });
    return { results: state.registrationsOf(id, query.data.competenceId).map(registrationView) };
  });
  api.post('/registrations', { config: { route: 'register' } }, async (req, reply) => {
    try {
      const { registration, created } = state.register(req.body ?? {});
      return reply.code(created ? 201 : 200).send({ registration: registrationView(registration), created });
    } catch (err) {
      if (err instanceof RegistrationRefused) return reply.code(err.status).send({ error: err.message });
      if (err instanceof z.ZodError)
        return reply.code(400).send({ error: 'invalid registration', issues: err.issues });
      throw err;
    }
  });
}

function registerAdmin(admin: FastifyInstance, state: WinLasState): void {
  admin.post('/competences', async (req, reply) => reply.code(201).send(state.addCompetence(req.body)));
  admin.patch('/competences/:id', async (req, reply) => {
    const competence = state.updateCompetence(idParams.parse(req.params).id, req.body);
    return competence ?? reply.code(404).send({ error: 'Competence not found' });
  });
  admin.post('/persons', async (req, reply) => reply.code(201).send(state.addPerson(req.body)));
  admin.patch('/persons/:id', async (req, reply) => {
    const person = state.updatePerson(idParams.parse(req.params).id, req.body);
    return person ?? reply.code(404).send({ error: 'Person not found' });
  });
  admin.delete('/persons/:id', async (req, reply) =>
    state.removePerson(idParams.parse(req.params).id)
      ? reply.code(204).send()
      : reply.code(404).send({ error: 'Person not found' }),
  );
  admin.get('/registrations', async (req) => {
    const q = z
      .object({ competenceId: z.string().optional(), personId: z.string().optional() })
      .parse(req.query);
    return [...state.registrations.values()].filter(
      (r) =>
        (q.competenceId === undefined || r.competenceId === q.competenceId) &&
        (q.personId === undefined || r.personId === q.personId),
    );
  });
  admin.get('/registrations/stats', async () => state.registrationStats());
  admin.delete('/registrations/:id', async (req, reply) =>
    state.removeRegistration(idParams.parse(req.params).id)
      ? reply.code(204).send()
      : reply.code(404).send({ error: 'Registration not found' }),
  );
}

function competenceView(c: Competence) {
  return { id: c.id, name: c.name, parentId: c.parentId, defaultValidityDays: c.defaultValidityDays };
}

function personView(p: Person) {
  return { id: p.id, email: p.email, firstName: p.firstName, lastName: p.lastName };
}

function registrationView(r: Registration) {
  return {
    id: r.id,
    personId: r.personId,
    competenceId: r.competenceId,
    validFrom: r.validFrom,
    validTo: r.validTo,
    source: r.source,
    ...(r.externalKey !== undefined ? { externalKey: r.externalKey } : {}),
  };
}
