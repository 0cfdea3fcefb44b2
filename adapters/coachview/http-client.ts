/** The HTTP implementation of {@link CoachviewClient}: the REST API for reads, the signed push for writes. */
import { createHttpClient, parseAnswer, validInput } from '../http';
import { RejectedError } from '../../platform/errors';
import type { RateBudget } from '../../platform/rate-budget';
import type { Secret } from '../../platform/secret';
import type { CoachviewClient } from './client';
import { createAuthorizedReader } from '../oauth2-bearer';
import { createClientCredentialsTokenProvider } from '../oauth2-client-credentials';
import { COACHVIEW, DEFAULT_TIMEOUT_MS, TOKEN_RENEWAL_MARGIN_MS } from './limits';
import { registrationOf } from './lookup';
import {
  elearningComponentListSchema,
  elearningComponentPageSchema,
  personListSchema,
  personPageSchema,
  pushAnswerSchema,
} from './schemas';
import { signBody, SIGNATURE_HEADER } from './signature';
import { pushResultInputSchema, registrationLookupInputSchema, type PushOutcome } from './types';

export const TOKEN_PATH = '/oauth/token';
export const PERSONS_PATH = '/api/v1/persons';
export const ELEARNING_COMPONENTS_PATH = '/api/v1/elearning-components';

export interface CoachviewClientOptions {
  apiBaseUrl: string;
  clientId: string;
  clientSecret: Secret;
  resultPushUrl: string;
  pushSecret: Secret;
  timeoutMs?: number;
  /**
   * The daily REST quota shared by every worker (`coachview-rest`): each `/api/v1` request takes
   * one unit, and a 429 marks it spent for all. Without it, requests are not counted.
   */
  restBudget?: RateBudget;
}

export function createCoachviewClient(opts: CoachviewClientOptions): CoachviewClient {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const api = createHttpClient({ system: COACHVIEW, baseURL: opts.apiBaseUrl, timeoutMs });
  const push = createHttpClient({ system: COACHVIEW, baseURL: opts.resultPushUrl, timeoutMs });
  const tokens = createClientCredentialsTokenProvider({
    system: COACHVIEW,
    http: api,
    tokenPath: TOKEN_PATH,
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    renewalMarginMs: TOKEN_RENEWAL_MARGIN_MS,
  });

  const read = createAuthorizedReader({ system: COACHVIEW, http: api, tokens, rateBudget: opts.restBudget });

  /**
   * Every person the learner id names, by id and by external id (CV-5): both are read, since an id
   * that is one person's id may be another person's external id.
   */
  async function findPersonIds(learnerId: string): Promise<string[]> {
    const byId = await read(PERSONS_PATH, { id: learnerId }, personListSchema, 'person list');
    const byExternalId = await read(PERSONS_PATH, { externalId: learnerId }, personListSchema, 'person list');
    return [...new Set([...byId.items, ...byExternalId.items].map((p) => p.id))];
  }

  return {
    async findElearningRegistration(input) {
      const { learnerId, courseId, ownResult, earlierOwnResults } = validInput(
        COACHVIEW,
        registrationLookupInputSchema,
        input,
        'registration lookup',
      );
      const personIds = await findPersonIds(learnerId);
      const personId = personIds[0];
      if (personId === undefined) return { kind: 'person-not-found' };
      if (personIds.length > 1) return { kind: 'person-ambiguous', matches: personIds.length };
      const { items } = await read(
        ELEARNING_COMPONENTS_PATH,
        { personId, courseId },
        elearningComponentListSchema,
        'e-learning component list',
      );
      // Filtered again so that an API that ignores `courseId` cannot hand back another course's component.
      return registrationOf(
        personId,
        items.filter((c) => c.elearningCourseId === courseId),
        [...(ownResult ? [ownResult] : []), ...(earlierOwnResults ?? [])],
      );
    },

    async listPersons({ page, pageSize }) {
      return read(PERSONS_PATH, { page, pageSize }, personPageSchema, 'person list');
    },

    async listCourseComponents({ courseId, page, pageSize }) {
      const answer = await read(
        ELEARNING_COMPONENTS_PATH,
        { courseId, page, pageSize },
        elearningComponentPageSchema,
        'e-learning component list',
      );
      return { ...answer, items: answer.items.filter((c) => c.elearningCourseId === courseId) };
    },

    async pushResult(input) {
      const body = JSON.stringify(validInput(COACHVIEW, pushResultInputSchema, input, 'result push'));
      try {
        const res = await push.post('', body, {
          headers: {
            'Content-Type': 'application/json',
            [SIGNATURE_HEADER]: signBody(body, opts.pushSecret.reveal()),
          },
          // Send the signed bytes exactly as they are.
          transformRequest: [(data: unknown) => data],
        });
        parseAnswer(COACHVIEW, 'result push answer', pushAnswerSchema, res.data);
        return { kind: 'processed' } satisfies PushOutcome;
      } catch (err) {
        if (err instanceof RejectedError && err.status === 404)
          return { kind: 'not-processed' } satisfies PushOutcome;
        throw err;
      }
    },
  };
}
