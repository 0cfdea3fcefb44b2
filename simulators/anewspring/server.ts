import { z } from 'zod';
import {
  startPushingSimulator,
  type PushingSimulator,
  type PushingSimulatorOptions,
} from '../elearning-common';
import { anewspringCompletionInputSchema, anewspringSeedSchema, AnewspringState } from './state';

/** The header aNewSpring signs its webhooks with. */
export const ANEWSPRING_SIGNATURE_HEADER = 'X-ANS-Signature';

export type AnewspringSimulatorOptions = PushingSimulatorOptions;

export type AnewspringSimulator = PushingSimulator<AnewspringState>;

/** An aNewSpring environment: course completions are pushed as signed `course.completed` webhooks. */
export async function startAnewspringSimulator(
  opts: AnewspringSimulatorOptions,
): Promise<AnewspringSimulator> {
  return startPushingSimulator(opts, {
    signatureHeader: ANEWSPRING_SIGNATURE_HEADER,
    createState: (webhook) => new AnewspringState(webhook),
    api: (app, state) => {
      // Read API: a user's result for a course.
      app.get('/api/v1/users/:userId/courses/:courseId/result', async (request, reply) => {
        const { userId, courseId } = z
          .object({ userId: z.string(), courseId: z.string() })
          .parse(request.params);
        const result = state.result(userId, courseId);
        return result ? result : reply.code(404).send({ error: 'no result for this user and course' });
      });
    },
    stateView: (state) => ({ results: [...state.results.values()] }),
    seed: (state, body) => state.seed(anewspringSeedSchema.parse(body)),
    trigger: {
      path: '/__admin/completions',
      parse: (body) => anewspringCompletionInputSchema.parse(body),
      run: (state, input) => state.complete(input),
    },
  });
}
