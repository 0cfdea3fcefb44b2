import Fastify from 'fastify';
import { listen, registerErrorHandler, type RunningSimulator } from '../elearning-common';
import { registerRequestFaults, type RequestFaults } from '../common/faults';
import { Importer } from './importer';
import { groupRefSchema, seedSchema, siteSettingsSchema } from './model';
import { ItslearningState } from './state';
import { pageQuerySchema, StateViews } from './views';

export interface ItslearningSimulatorOptions {
  port?: number;
  /** The sync key source the site's IMSE integration is set up for; documents naming another are refused. */
  syncKeySource?: string;
  /** When set, every non-admin request needs `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /**
   * Answer a re-sent idempotency key from a cache (default true). The real itslearning import has no
   * such cache; `false` behaves like it, and `importer.idempotencyCache` switches it at run time.
   */
  idempotencyCache?: boolean;
}

export interface ItslearningSimulator extends RunningSimulator<ItslearningState> {
  faults: RequestFaults;
  importer: Importer;
}

/** IMSE documents of a full municipality arrive in batches, but a batch of persons can be several MB. */
const BODY_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * itslearning as the integration sees it: `POST /imse/import` takes IMS Enterprise v1.1 XML and
 * answers with an import report; `GET /api/persons|groups|memberships` pages through the site's
 * data with each entity's sync key. Admin routes under `/__admin` seed, read, reset and set faults.
 */
export async function startItslearningSimulator(
  opts: ItslearningSimulatorOptions = {},
): Promise<ItslearningSimulator> {
  const state = new ItslearningState();
  const views = new StateViews(state);
  const importer = new Importer(state, opts.syncKeySource, { idempotencyCache: opts.idempotencyCache });
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES });
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  registerErrorHandler(app, 500);
  if (opts.apiKey) {
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith('/__admin')) return;
      if (request.headers.authorization !== `Bearer ${opts.apiKey}`)
        return reply.code(401).send({ error: 'unauthorized' });
    });
  }
  const faults = registerRequestFaults(app);

  app.post('/imse/import', async (request, reply) => {
    if (typeof request.body !== 'string') {
      return reply.code(415).send({ error: 'send IMS Enterprise XML as application/xml' });
    }
    const key = request.headers['idempotency-key'];
    const outcome = importer.run(request.body, typeof key === 'string' && key !== '' ? key : null);
    if (outcome.status !== 200)
      return reply.code(outcome.status).send({ error: outcome.error, problems: outcome.problems });
    return outcome.report;
  });
  app.get('/api/persons', async (request) => views.persons(pageQuerySchema.parse(request.query)));
  app.get('/api/groups', async (request) => views.groups(pageQuerySchema.parse(request.query)));
  app.get('/api/memberships', async (request) => views.memberships(pageQuerySchema.parse(request.query)));

  app.post('/__admin/seed', async (request) => ({ ids: state.seed(seedSchema.parse(request.body ?? {})) }));
  app.post('/__admin/reset', async () => {
    state.reset();
    importer.reset();
    faults.reset();
    return { ok: true };
  });
  app.get('/__admin/state', async () => ({
    persons: [...state.persons.values()],
    groups: [...state.groups.values()].map((g) => views.groupView(g)),
    memberships: [...state.memberships.values()],
  }));
  app.get('/__admin/imports', async () => importer.log);
  // Site settings, e.g. {"courseArchiving": false} (IMSE-8); answers the settings in force.
  app.get('/__admin/settings', async () => state.settings);
  app.post('/__admin/settings', async (request) => {
    Object.assign(state.settings, siteSettingsSchema.parse(request.body ?? {}));
    return state.settings;
  });
  // An administrator un-archives a course by hand: {"syncKey": {"source", "id"}} or {"id"} (IMSE-8).
  app.post('/__admin/groups/unarchive', async (request, reply) => {
    const ref = groupRefSchema.parse(request.body ?? {});
    const group = 'syncKey' in ref ? state.findGroup(ref.syncKey) : state.groups.get(ref.id);
    if (!group) return reply.code(404).send({ error: 'no such group' });
    if (!state.unarchive(group.id)) return reply.code(409).send({ error: 'the group is not archived' });
    return views.groupView(group);
  });

  const running = await listen(app, opts.port ?? 0, state);
  return { ...running, faults, importer };
}
