import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  listen,
  registerErrorHandler,
  registerWebhookAdmin,
  WebhookSender,
  type RunningSimulator,
} from '../elearning-common';
import { registerRequestFaults, type RequestFaults } from '../common/faults';
import { iliasLpChangeSchema, iliasSeedSchema, IliasState } from './state';

/** The header Ilias' completion plugin signs its webhooks with. */
export const ILIAS_SIGNATURE_HEADER = 'X-Ilias-Signature';

export interface IliasSimulatorOptions {
  port?: number;
  webhookUrl?: string;
  webhookSecret: string;
  /** Waits between webhook attempts; defaults to a few seconds in all. */
  retryDelaysMs?: number[];
}

export interface IliasSimulator extends RunningSimulator<IliasState> {
  faults: RequestFaults;
}

function registerRoutes(app: FastifyInstance, state: IliasState): void {
  // Read API: a user's learning progress on a course.
  app.get('/api/v1/courses/:refId/learning-progress/:usrId', async (request, reply) => {
    const { refId, usrId } = z
      .object({ refId: z.coerce.number(), usrId: z.coerce.number() })
      .parse(request.params);
    const progress = state.learningProgress(refId, usrId);
    return progress ? progress : reply.code(404).send({ error: 'no learning progress recorded' });
  });

  app.get('/__admin/state', async () => ({
    users: [...state.users.values()],
    courses: [...state.courses.values()],
    learningProgress: [...state.progress.values()],
  }));
  app.post('/__admin/seed', async (request) => {
    state.seed(iliasSeedSchema.parse(request.body));
    return { users: state.users.size, courses: state.courses.size };
  });
  registerWebhookAdmin(app, state.webhook, {
    path: '/__admin/learning-progress',
    parse: (body) => iliasLpChangeSchema.parse(body),
    run: (input) => state.changeLearningProgress(input),
  });
  registerErrorHandler(app);
}

/** An Ilias installation with its completion plugin: learning progress changes are pushed as signed webhooks. */
export async function startIliasSimulator(opts: IliasSimulatorOptions): Promise<IliasSimulator> {
  const webhook = new WebhookSender({
    signatureHeader: ILIAS_SIGNATURE_HEADER,
    secret: opts.webhookSecret,
    url: opts.webhookUrl,
    retryDelaysMs: opts.retryDelaysMs,
  });
  const state = new IliasState(webhook);
  const app = Fastify({ logger: false });
  const faults = registerRequestFaults(app);
  registerRoutes(app, state);
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
