import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Faults, listen, registerFaults, WebhookSender, type RunningSimulator } from '../elearning-common';
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
  faults: Faults;
}

const webhookConfigSchema = z.object({ url: z.url().nullable(), secret: z.string().min(1).optional() });

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
  // `?wait=true` answers after the webhook delivery (with its retries) has ended.
  app.post('/__admin/completions', async (request, reply) => {
    const input = anewspringCompletionInputSchema.parse(request.body);
    const wait = (request.query as { wait?: string }).wait === 'true';
    const sending = state.complete(input);
    if (wait) return reply.code(201).send(await sending);
    sending.catch((err: unknown) => request.log.error(err));
    return reply.code(202).send({ accepted: true });
  });
  app.get('/__admin/deliveries', async () => state.webhook.deliveries);
  app.put('/__admin/webhook', async (request) => {
    const { url, secret } = webhookConfigSchema.parse(request.body);
    state.webhook.url = url ?? undefined;
    if (secret) state.webhook.secret = secret;
    return { url };
  });
  app.setErrorHandler((err, _request, reply) => {
    if (err instanceof z.ZodError) return reply.code(400).send({ error: z.prettifyError(err) });
    return reply
      .code((err as { statusCode?: number }).statusCode ?? 409)
      .send({ error: (err as Error).message });
  });
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
  const faults = new Faults();
  const app = Fastify({ logger: false });
  registerFaults(app, faults);
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
