/** The signed e-learning result push: one call per person and component. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { answerFault, type SimulatorContext } from '../context';
import { resultPushSchema, type PushOutcome } from '../model';
import { isValidSignature, signatureHeader } from '../signature';

export const resultPushPath = '/elearning/results';

export function pushRoutes(ctx: SimulatorContext) {
  return async (app: FastifyInstance): Promise<void> => {
    // The signature covers the raw bytes, so the body must reach the handler unparsed.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.post(resultPushPath, async (req, reply) => {
      const raw = typeof req.body === 'string' ? req.body : '';
      const body = parseJson(raw);
      const log = (status: number, outcome: PushOutcome, componentId?: string): void => {
        ctx.pushLog.push({
          receivedAt: new Date(ctx.now()).toISOString(),
          status,
          outcome,
          body,
          componentId,
        });
      };
      const fault = ctx.faults.take('push');
      if (fault && !(fault.kind === 'fail' && fault.afterProcessing)) {
        answerFault(reply, fault);
        log(reply.statusCode, 'fault');
        return reply;
      }
      const signature = req.headers[signatureHeader];
      if (!isValidSignature(raw, typeof signature === 'string' ? signature : undefined, ctx.pushSecret)) {
        log(403, 'bad-signature');
        return reply.code(403).send({ error: 'Invalid signature' });
      }
      const push = resultPushSchema.safeParse(body);
      if (!push.success) {
        log(400, 'malformed');
        return reply
          .code(400)
          .send({ error: 'Malformed result', issues: push.error.issues.map((i) => i.message) });
      }
      const applied = ctx.store.applyResult(push.data);
      if (fault) {
        answerFault(reply, fault);
        log(reply.statusCode, 'fault', applied.componentId);
        return reply;
      }
      if (applied.outcome !== 'processed') {
        log(404, applied.outcome);
        return notProcessed(reply);
      }
      log(200, 'processed', applied.componentId);
      return reply.code(200).send({ status: 'processed', componentId: applied.componentId });
    });
  };
}

/** Coachview gives one answer for an unknown learner, an unknown course and an already completed component. */
function notProcessed(reply: FastifyReply): FastifyReply {
  return reply.code(404).send({ error: 'Learner or course not recognized, or already completed' });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
