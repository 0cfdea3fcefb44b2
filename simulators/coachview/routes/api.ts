/** The REST API the adapter reads: persons and the e-learning components of their enrolments. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { answerFault, type SimulatorContext } from '../context';
import type { ElearningComponent, Person } from '../model';

export const apiPrefix = '/api/v1';

/** Listings are paged (CV-6's shared snapshot reads them); a lookup by id answers in one page. */
const pagingSchema = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(100),
};
const personQuerySchema = z
  .object({ id: z.string().min(1).optional(), externalId: z.string().min(1).optional(), ...pagingSchema })
  .refine((q) => q.id === undefined || q.externalId === undefined);
const componentQuerySchema = z
  .object({
    personId: z.string().min(1).optional(),
    courseId: z.string().min(1).optional(),
    ...pagingSchema,
  })
  .refine((q) => q.personId !== undefined || q.courseId !== undefined);

export function apiRoutes(ctx: SimulatorContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', async (req, reply) => {
      const clientId = ctx.tokens.verify(req.headers.authorization);
      if (!clientId) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer error="invalid_token"')
          .send({ error: 'invalid_token' });
      }
      const quota = ctx.quota.consume(clientId);
      reply
        .header('x-ratelimit-limit', String(quota.limit))
        .header('x-ratelimit-remaining', String(quota.remaining))
        .header('x-ratelimit-reset', String(quota.resetAt));
      if (!quota.allowed) {
        const wait = Math.max(1, Math.ceil(quota.resetAt - ctx.now() / 1000));
        return reply
          .code(429)
          .header('retry-after', String(wait))
          .send({ error: 'Daily request limit reached' });
      }
      const fault = ctx.faults.take('api');
      if (fault) return answerFault(reply, fault);
    });

    app.get('/persons', async (req, reply) => {
      const query = personQuerySchema.safeParse(req.query);
      if (!query.success) return reply.code(400).send({ error: 'Give at most one of id or externalId' });
      const { id, externalId } = query.data;
      const persons =
        id !== undefined
          ? ctx.store.personsById(id)
          : externalId !== undefined
            ? ctx.store.personsByExternalId(externalId)
            : ctx.store.allPersons();
      return page(persons.map(personView), query.data);
    });

    app.get('/elearning-components', async (req, reply) => {
      const query = componentQuerySchema.safeParse(req.query);
      if (!query.success) return reply.code(400).send({ error: 'personId or courseId is required' });
      const { personId, courseId } = query.data;
      return page(ctx.store.components({ personId, courseId }).map(componentView), query.data);
    });
  };
}

function page<T>(items: T[], at: { page: number; pageSize: number }): { items: T[]; total: number } {
  const from = (at.page - 1) * at.pageSize;
  return { items: items.slice(from, from + at.pageSize), total: items.length };
}

function personView(p: Person) {
  return {
    id: p.id,
    externalId: p.externalId ?? null,
    firstName: p.firstName,
    lastName: p.lastName,
    email: p.email,
  };
}

function componentView(c: ElearningComponent) {
  const trc = c.trainingRequestComponent;
  return {
    id: c.componentId,
    personId: c.personId,
    trainingId: c.trainingId,
    elearningCourseId: c.elearningCourseId,
    result: c.result ?? null,
    presence: c.presence,
    passed: c.passed,
    locked: c.locked,
    trainingRequestComponent: {
      id: trc.id,
      completed: trc.completed,
      approved: trc.approved,
      approvalDate: trc.approvalDate ?? null,
    },
  };
}
