import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { WebhookSender } from './webhook-sender';

const webhookConfigSchema = z.object({
  url: z.url().nullable().optional(),
  secret: z.string().min(1).optional(),
  /** Skews this system's signing clock (seconds, either way). */
  clockOffsetSeconds: z.number().int().optional(),
});

/**
 * Bad input answers 400 with zod's readable message; an error that carries a status keeps it; the
 * rest answer `fallbackStatus` (409 where the simulator's own state refused the request).
 */
export function registerErrorHandler(app: FastifyInstance, fallbackStatus = 409): void {
  app.setErrorHandler((err, _request, reply) => {
    if (err instanceof z.ZodError) return reply.code(400).send({ error: z.prettifyError(err) });
    const status = (err as { statusCode?: number }).statusCode ?? fallbackStatus;
    return reply.code(status).send({ error: (err as Error).message });
  });
}

/**
 * The admin side of a system that pushes completions as signed webhooks (Ilias, aNewSpring): an
 * endpoint that makes something happen in the system (which then pushes it), the deliveries made,
 * and where to push. `?wait=true` answers after the delivery (with its retries) has ended.
 */
export function registerWebhookAdmin<Input>(
  app: FastifyInstance,
  webhook: WebhookSender,
  trigger: { path: string; parse: (body: unknown) => Input; run: (input: Input) => Promise<unknown> },
): void {
  app.post(trigger.path, async (request, reply) => {
    const input = trigger.parse(request.body);
    const wait = (request.query as { wait?: string }).wait === 'true';
    const sending = trigger.run(input);
    if (wait) return reply.code(201).send(await sending);
    sending.catch((err: unknown) => request.log.error(err));
    return reply.code(202).send({ accepted: true });
  });
  app.get('/__admin/deliveries', async () => webhook.deliveries);
  app.post('/__admin/deliveries/:deliveryId/redeliver', async (request, reply) => {
    const { deliveryId } = z.object({ deliveryId: z.string().min(1) }).parse(request.params);
    return reply.code(201).send(await webhook.redeliver(deliveryId));
  });
  app.put('/__admin/webhook', async (request) => {
    const { url, secret, clockOffsetSeconds } = webhookConfigSchema.parse(request.body);
    if (url !== undefined) webhook.url = url ?? undefined;
    if (secret) webhook.secret = secret;
    if (clockOffsetSeconds !== undefined) webhook.clockOffsetSeconds = clockOffsetSeconds;
    return { url: webhook.url ?? null, clockOffsetSeconds: webhook.clockOffsetSeconds };
  });
}
