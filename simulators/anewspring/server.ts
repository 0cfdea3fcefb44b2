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
import { anewspringCompletionInputSchema, anewspringSeedSchema, AnewspringState } from './state';

/** The header aNewSpring signs its webhooks with. */
export const ANEWSPRING_SIGNATURE_HEADER = 'X-ANS-Signature';

export interface AnewspringSimulatorOptions {
  port?: number;
  webhookUrl?: string;
  webhookSecret: string;
  /** Waits between webhook attempts; defaults to a few seconds in all. */
  retryDelaysMs?: number[];
}

export interface AnewspringSimulator extends RunningSimulator<AnewspringState> {
  faults: RequestFaults;
}

function registerRoutes(app: FastifyInstance, state: AnewspringState): void {
  // Read API: a user's result for a course.
  app.get('/api/v1/users/:userId/courses/:courseId/result', async (request, reply) => {
    const { userId, courseId } = z.object({ userId: z.string(), courseId: z.string() }).parse(request.params);
    const result = state.result(userId, courseId);
    return result ? result : reply.code(404).send({ error: 'no result for this user and course' });
  });

  app.get('/__admin/state', async () => ({
    users: [...state.users.values()],
    courses: [...state.courses.values()],
    results: [...state.results.values()],
  }));
  app.post('/__admin/seed', async (request) => {
    state.seed(anewspringSeedSchema.parse(request.body));
    return { users: state.users.size, courses: state.courses.size };
  });
  registerWebhookAdmin(app, state.webhook, {
    path: '/__admin/completions',
    parse: (body) => anewspringCompletionInputSchema.parse(body),
    run: (input) => state.complete(input),
  });
  registerErrorHandler(app);
}

/** An aNewSpring environment: course completions are pushed as signed `course.completed` webhooks. */
export async function startAnewspringSimulator(
  opts: AnewspringSimulatorOptions,
): Promise<AnewspringSimulator> {
  const webhook = new WebhookSender({
    signatureHeader: ANEWSPRING_SIGNATURE_HEADER,
    secret: opts.webhookSecret,
    url: opts.webhookUrl,
    retryDelaysMs: opts.retryDelaysMs,
  });
  const state = new AnewspringState(webhook);
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
