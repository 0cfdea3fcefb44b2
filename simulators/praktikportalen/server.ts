/**
 * The Praktikportalen simulator: an assumed API (no public one exists; docs/wiseflow-apis.md) to
 * read an internship period and to show a supervisor's WISEflow access link, a page per period as a
 * supervisor would see it, and `/__admin` to change periods between syncs and to inject faults.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listen, type RunningSimulator } from '../elearning-common';
import { registerRequestFaults, type RequestFaults } from '../common/faults';
import {
  periodSeedSchema,
  PraktikportalenProblem,
  PraktikportalenState,
  type PraktikportalenSeed,
} from './state';

export const API_PREFIX = '/api/v1';
export const API_KEY_HEADER = 'x-api-key';

export interface PraktikportalenSimulatorOptions {
  port?: number;
  apiKey?: string;
  seed?: PraktikportalenSeed;
}

export interface PraktikportalenSimulator extends RunningSimulator<PraktikportalenState> {
  faults: RequestFaults;
}

const periodParams = z.object({ periodNumber: z.string().min(1) });
const supervisorParams = periodParams.extend({ praktikportalenId: z.string().min(1) });

export async function startPraktikportalenSimulator(
  opts: PraktikportalenSimulatorOptions = {},
): Promise<PraktikportalenSimulator> {
  const apiKey = opts.apiKey ?? 'local-praktikportalen-key';
  const state = new PraktikportalenState();
  if (opts.seed) state.seed(opts.seed);
  const app = Fastify({ logger: false });
  const faults = registerRequestFaults(app);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(`${API_PREFIX}/`)) return;
    if (request.headers[API_KEY_HEADER] !== apiKey) return reply.code(401).send({ error: 'invalid API key' });
  });
  registerApi(app, state);
  registerPages(app, state);
  registerAdmin(app, state, faults);
  app.setErrorHandler((err, _request, reply) => {
    if (err instanceof PraktikportalenProblem) return reply.code(err.statusCode).send({ error: err.message });
    if (err instanceof z.ZodError) return reply.code(400).send({ error: z.prettifyError(err) });
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send({ error: (err as Error).message });
  });
  const running = await listen(app, opts.port ?? 0, state);
  return { ...running, faults };
}

function registerApi(app: FastifyInstance, state: PraktikportalenState): void {
  app.get(`${API_PREFIX}/internship-periods/:periodNumber`, async (request) =>
    state.period(periodParams.parse(request.params).periodNumber),
  );
  app.put(
    `${API_PREFIX}/internship-periods/:periodNumber/supervisors/:praktikportalenId/access-link`,
    async (request, reply) => {
      const { periodNumber, praktikportalenId } = supervisorParams.parse(request.params);
      const { changed, link } = state.publishLink(periodNumber, praktikportalenId, request.body);
      return reply.code(changed ? 201 : 200).send(link);
    },
  );
}

const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** What a supervisor sees: the period and the WISEflow link shown to each supervisor. */
function registerPages(app: FastifyInstance, state: PraktikportalenState): void {
  app.get('/periods/:periodNumber', async (request, reply) => {
    const { periodNumber } = periodParams.parse(request.params);
    const period = state.period(periodNumber);
    const links = new Map(state.linksOf(periodNumber).map((l) => [l.praktikportalenId, l]));
    const rows = period.supervisors
      .map((s) => {
        const link = links.get(s.praktikportalenId);
        const cell = link
          ? `<a href="${escape(link.url)}">Log in to WISEflow</a> (until ${new Date(link.expires * 1000).toISOString()})`
          : 'no link yet';
        return `<tr><td>${escape(s.firstName)} ${escape(s.lastName)}</td><td>${escape(s.email)}</td><td>${cell}</td></tr>`;
      })
      .join('');
    return reply
      .type('text/html')
      .send(
        `<h1>${escape(period.title)} (${escape(period.periodNumber)})</h1><p>${period.startDate} to ${period.endDate}, ${period.students.length} students</p><table><tr><th>Supervisor</th><th>E-mail</th><th>WISEflow</th></tr>${rows}</table>`,
      );
  });
}

function registerAdmin(app: FastifyInstance, state: PraktikportalenState, faults: RequestFaults): void {
  const a = '/__admin';
  app.get(`${a}/state`, async () => state.snapshot());
  app.post(`${a}/seed`, async (request) => {
    state.seed((request.body ?? {}) as PraktikportalenSeed);
    return state.snapshot();
  });
  app.post(`${a}/reset`, async (_request, reply) => {
    state.reset();
    faults.reset();
    return reply.code(204).send();
  });
  app.post(`${a}/periods`, async (request, reply) => {
    const period = periodSeedSchema.parse(request.body);
    state.seed({ periods: [period] });
    return reply.code(201).send(state.period(period.periodNumber));
  });
  app.get(`${a}/periods/:periodNumber/links`, async (request) =>
    state.linksOf(periodParams.parse(request.params).periodNumber),
  );
  app.post(`${a}/periods/:periodNumber/supervisors`, async (request, reply) =>
    reply.code(201).send(state.addSupervisor(periodParams.parse(request.params).periodNumber, request.body)),
  );
  /** Corrects a supervisor's e-mail or name. */
  app.patch(`${a}/periods/:periodNumber/supervisors/:praktikportalenId`, async (request) => {
    const { periodNumber, praktikportalenId } = supervisorParams.parse(request.params);
    return state.updateSupervisor(periodNumber, praktikportalenId, request.body);
  });
  /** Another supervisor takes this one's place. */
  app.post(`${a}/periods/:periodNumber/supervisors/:praktikportalenId/replace`, async (request, reply) => {
    const { periodNumber, praktikportalenId } = supervisorParams.parse(request.params);
    return reply.code(201).send(state.replaceSupervisor(periodNumber, praktikportalenId, request.body));
  });
  app.delete(`${a}/periods/:periodNumber/supervisors/:praktikportalenId`, async (request, reply) => {
    const { periodNumber, praktikportalenId } = supervisorParams.parse(request.params);
    state.removeSupervisor(periodNumber, praktikportalenId);
    return reply.code(204).send();
  });
  app.post(`${a}/periods/:periodNumber/students`, async (request, reply) => {
    state.addStudent(periodParams.parse(request.params).periodNumber, request.body);
    return reply.code(201).send(state.period(periodParams.parse(request.params).periodNumber).students);
  });
  app.delete(`${a}/periods/:periodNumber/students/:praktikportalenId`, async (request, reply) => {
    const { periodNumber, praktikportalenId } = supervisorParams.parse(request.params);
    state.removeStudent(periodNumber, praktikportalenId);
    return reply.code(204).send();
  });
}
