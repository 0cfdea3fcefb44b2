import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Faults, listen, registerFaults, WebhookSender, type RunningSimulator } from '../elearning-common';
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
  faults: Faults;
}

const webhookConfigSchema = z.object({ url: z.url().nullable(), secret: z.string().min(1).optional() });

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
  // `?wait=true` answers after the webhook delivery (with its retries) has ended.
  app.post('/__admin/learning-progress', async (request, reply) => {
    const change = iliasLpChangeSchema.parse(request.body);
    const wait = (request.query as { wait?: string }).wait === 'true';
    const sending = state.changeLearningProgress(change);
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

/** An Ilias installation with its completion plugin: learning progress changes are pushed as signed webhooks. */
export async function startIliasSimulator(opts: IliasSimulatorOptions): Promise<IliasSimulator> {
  const webhook = new WebhookSender({
    signatureHeader: ILIAS_SIGNATURE_HEADER,
    secret: opts.webhookSecret,
    url: opts.webhookUrl,
    retryDelaysMs: opts.retryDelaysMs,
  });
  const state = new IliasState(webhook);
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
