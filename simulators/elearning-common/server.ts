import Fastify, { type FastifyInstance } from 'fastify';
import { registerRequestFaults, type RequestFaults } from '../common/faults';
import { registerErrorHandler, registerWebhookAdmin } from './admin';
import type { PushingState } from './pushing-state';
import { WebhookSender } from './webhook-sender';

/** What every simulator hands back to the test or stack that started it. */
export interface RunningSimulator<State> {
  url: string;
  port: number;
  state: State;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (port 0 = ephemeral) and wraps the fastify app as a {@link RunningSimulator}. */
export async function listen<State>(
  app: FastifyInstance,
  port: number,
  state: State,
): Promise<RunningSimulator<State>> {
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { url: `http://127.0.0.1:${actual}`, port: actual, state, close: () => app.close() };
}

export interface PushingSimulatorOptions {
  port?: number;
  webhookUrl?: string;
  webhookSecret: string;
  /** Waits between webhook attempts; defaults to a few seconds in all. */
  retryDelaysMs?: number[];
}

export interface PushingSimulator<State> extends RunningSimulator<State> {
  faults: RequestFaults;
}

export interface PushingSimulatorSetup<State extends AnyPushingState, Input> {
  /** The header the system signs its webhooks with. */
  signatureHeader: string;
  createState(webhook: WebhookSender): State;
  /** The read API. */
  api(app: FastifyInstance, state: State): void;
  /** What `GET /__admin/state` answers after the users and courses. */
  stateView(state: State): Record<string, unknown>;
  /** Parses and seeds the body of `POST /__admin/seed`. */
  seed(state: State, body: unknown): void;
  /** The admin endpoint that makes the system push (see registerWebhookAdmin). */
  trigger: { path: string; parse(body: unknown): Input; run(state: State, input: Input): Promise<unknown> };
}

type AnyPushingState = PushingState<unknown, unknown, unknown, unknown>;

/** Starts a pushing system's simulator: request faults, its API, the admin routes; close waits for deliveries. */
export async function startPushingSimulator<State extends AnyPushingState, Input>(
  opts: PushingSimulatorOptions,
  setup: PushingSimulatorSetup<State, Input>,
): Promise<PushingSimulator<State>> {
  const webhook = new WebhookSender({
    signatureHeader: setup.signatureHeader,
    secret: opts.webhookSecret,
    url: opts.webhookUrl,
    retryDelaysMs: opts.retryDelaysMs,
  });
  const state = setup.createState(webhook);
  const app = Fastify({ logger: false });
  const faults = registerRequestFaults(app);
  setup.api(app, state);
  app.get('/__admin/state', async () => ({
    users: [...state.users.values()],
    courses: [...state.courses.values()],
    ...setup.stateView(state),
  }));
  app.post('/__admin/seed', async (request) => {
    setup.seed(state, request.body);
    return { users: state.users.size, courses: state.courses.size };
  });
  registerWebhookAdmin(app, state.webhook, {
    path: setup.trigger.path,
    parse: setup.trigger.parse,
    run: (input) => setup.trigger.run(state, input),
  });
  registerErrorHandler(app);
  const running = await listen(app, opts.port ?? 0, state);
  return {
    ...running,
    faults,
    close: async () => {
      await state.settled();
      await running.close();
    },
  };
}
