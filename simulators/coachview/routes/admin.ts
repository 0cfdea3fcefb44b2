/** Test and operator controls under /__admin: seed, read state, faults, push log, reset. */
import type { FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import type { SimulatorContext } from '../context';
import { SeedError } from '../store';

export const adminPrefix = '/__admin';

export function adminRoutes(ctx: SimulatorContext, reset: () => void) {
  return async (app: FastifyInstance): Promise<void> => {
    // Body-less calls such as `curl -X POST .../reset` may carry any content type.
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
      if (body === '') return done(null, undefined);
      const err = Object.assign(new Error('send JSON (application/json)'), { statusCode: 415 });
      done(err, undefined);
    });
    app.setErrorHandler((err, _req, reply) => {
      if (err instanceof ZodError)
        return reply.code(400).send({ error: 'invalid input', issues: err.issues });
      if (err instanceof SeedError) return reply.code(409).send({ error: err.message });
      return reply.send(err);
    });

    app.post('/seed', async (req) => {
      ctx.store.seed(req.body as never);
      return ctx.store.snapshot();
    });
    app.post('/persons', async (req, reply) => reply.code(201).send(ctx.store.addPerson(req.body as never)));
    app.post('/enrolments', async (req, reply) =>
      reply.code(201).send(ctx.store.addEnrolment(req.body as never)),
    );
    app.get('/state', async () => ctx.store.snapshot());
    app.post('/faults', async (req) => {
      ctx.faults.set((req.body ?? {}) as never);
      return ctx.faults.current();
    });
    app.get('/faults', async () => ctx.faults.current());
    app.get('/pushes', async () => ctx.pushLog);
    app.get('/usage', async () => ({
      tokenRequests: ctx.tokens.issued,
      apiRequestsToday: ctx.quota.usage(),
    }));
    app.post('/reset', async (_req, reply) => {
      reset();
      return reply.code(204).send();
    });
  };
}
