import { z } from 'zod';
import {
  startPushingSimulator,
  type PushingSimulator,
  type PushingSimulatorOptions,
} from '../elearning-common';
import { iliasLpChangeSchema, iliasSeedSchema, IliasState } from './state';

/** The header Ilias' completion plugin signs its webhooks with. */
export const ILIAS_SIGNATURE_HEADER = 'X-Ilias-Signature';

export type IliasSimulatorOptions = PushingSimulatorOptions;

export type IliasSimulator = PushingSimulator<IliasState>;

/** An Ilias installation with its completion plugin: learning progress changes are pushed as signed webhooks. */
export async function startIliasSimulator(opts: IliasSimulatorOptions): Promise<IliasSimulator> {
  return startPushingSimulator(opts, {
    signatureHeader: ILIAS_SIGNATURE_HEADER,
    createState: (webhook) => new IliasState(webhook),
    api: (app, state) => {
      // Read API: a user's learning progress on a course.
      app.get('/api/v1/courses/:refId/learning-progress/:usrId', async (request, reply) => {
        const { refId, usrId } = z
          .object({ refId: z.coerce.number(), usrId: z.coerce.number() })
          .parse(request.params);
        const progress = state.learningProgress(refId, usrId);
        return progress ? progress : reply.code(404).send({ error: 'no learning progress recorded' });
      });
    },
    stateView: (state) => ({ learningProgress: [...state.progress.values()] }),
    seed: (state, body) => state.seed(iliasSeedSchema.parse(body)),
    trigger: {
      path: '/__admin/learning-progress',
      parse: (body) => iliasLpChangeSchema.parse(body),
      run: (state, input) => state.changeLearningProgress(input),
    },
  });
}
