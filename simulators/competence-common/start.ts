/**
 * How the InfoCaption and WinLas simulators start: one fastify app with the simulator's API under its
 * prefix behind the guard, the admin routes under `/__admin` (`GET /state`, `POST /seed`, `POST /generate`,
 * the simulator's own, then the shared controls), listening, and the handle a test or the stack gets back.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { adminControls, type ControlOptions, type RequestUsage, type SimulatorControls } from './controls';
import { adminErrors, guardApi, listenOn, type Refusal } from './guard';

/** What the shared admin routes ask of a simulator's state. */
export interface SeedableState {
  seed(seed: never): unknown;
  generate(spec: never): unknown;
  summary(): unknown;
}

type SeedOf<State extends SeedableState> = Parameters<State['seed']>[0];
type SpecOf<State extends SeedableState> = Parameters<State['generate']>[0];

export interface CompetenceSimulator<
  State extends SeedableState,
  Usage extends RequestUsage,
> extends SimulatorControls<Usage> {
  url: string;
  port: number;
  state: State;
  seed(seed: SeedOf<State>): ReturnType<State['seed']>;
  generate(spec: SpecOf<State>): ReturnType<State['generate']>;
  close(): Promise<void>;
}

export interface CompetenceSimulatorSetup<State extends SeedableState, Extra extends object> {
  state: State;
  controls: ControlOptions<Extra>;
  port?: number;
  host?: string;
  apiPrefix: string;
  /** undefined when an API request may go on, else how to refuse it. */
  authorize(request: FastifyRequest): Refusal | undefined;
  /** Routes outside the guarded API (a token endpoint, content-type parsers). */
  open?(app: FastifyInstance): void;
  api(api: FastifyInstance): void;
  /** The simulator's own admin routes, registered after state, seed and generate. */
  admin(admin: FastifyInstance): void;
}

export async function startCompetenceSimulator<State extends SeedableState, Extra extends object>(
  setup: CompetenceSimulatorSetup<State, Extra>,
): Promise<CompetenceSimulator<State, Extra & RequestUsage>> {
  const { state } = setup;
  const controls = adminControls(setup.controls);
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  setup.open?.(app);

  await app.register(
    async (api: FastifyInstance) => {
      guardApi(api, { ...controls, authorize: setup.authorize });
      setup.api(api);
    },
    { prefix: setup.apiPrefix },
  );

  await app.register(
    async (admin: FastifyInstance) => {
      adminErrors(admin);
      admin.get('/state', async () => state.summary());
      admin.post('/seed', async (req) => state.seed((req.body ?? {}) as never));
      admin.post('/generate', async (req) => state.generate(req.body as never));
      setup.admin(admin);
      controls.registerRoutes(admin);
    },
    { prefix: '/__admin' },
  );

  const { url, port } = await listenOn(app, setup.port ?? 0, setup.host);
  return {
    url,
    port,
    state,
    seed: (seed) => state.seed(seed as never) as ReturnType<State['seed']>,
    generate: (spec) => state.generate(spec as never) as ReturnType<State['generate']>,
    ...controls.handle,
    close: () => app.close(),
  };
}
