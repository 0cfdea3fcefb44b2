/** The HTTP implementation of {@link WinLasClient}, on adapters/http.ts with zod at every answer. */
import type { AxiosRequestConfig, AxiosResponse } from 'axios';
import { z } from 'zod';
import { createHttpClient, parseAnswer, validInput } from '../http';
import { RejectedError } from '../../platform/errors';
import type { RateBudget } from '../../platform/rate-budget';
import { Secret } from '../../platform/secret';
import {
  API_KEY_HEADER,
  COMPETENCES_PATH,
  DEFAULT_TIMEOUT_MS,
  MAX_PERSONS_PER_PAGE,
  PERSON_SEARCH_PATH,
  PERSONS_PATH,
  REGISTRATION_SOURCE,
  registrationsPath,
  REGISTRATIONS_PATH,
  WINLAS,
} from './limits';
import {
  competenceSchema,
  personSearchSchema,
  personsPageSchema,
  registerAnswerSchema,
  registrationsSchema,
} from './schemas';
import type { WinLasClient } from './types';

export interface WinLasClientOptions {
  baseUrl: string;
  apiKey: Secret | string;
  timeoutMs?: number;
  /** The `winlas-api` budget shared by every worker: each request takes one unit, a 429 spends it for all. */
  rateBudget?: RateBudget;
}

const text = z.string().trim().min(1).max(200);
const date = z.iso.date();
const registrationInputSchema = z
  .object({ personId: text, competenceId: text, validFrom: date, validTo: date, externalKey: text })
  .refine((r) => r.validFrom <= r.validTo, { message: 'must not be before validFrom', path: ['validTo'] });

/**
 * Failures are the platform's errors: TransientError (timeouts, 429 with `retryAfterMs`, 5xx),
 * RejectedError (400, 401, 403, 404 `NotFound` for an unknown person or competence on a write, 409
 * `Conflict` for an externalKey used for another registration) and SchemaError (a malformed answer).
 */
export function createWinLasClient(opts: WinLasClientOptions): WinLasClient {
  const apiKey = typeof opts.apiKey === 'string' ? new Secret(opts.apiKey) : opts.apiKey;
  const http = createHttpClient({
    system: WINLAS,
    baseURL: opts.baseUrl,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });

  async function send(config: AxiosRequestConfig): Promise<AxiosResponse> {
    const call = () =>
      http.request({ ...config, headers: { ...config.headers, [API_KEY_HEADER]: apiKey.reveal() } });
    return opts.rateBudget ? opts.rateBudget.spend(call) : call();
  }

  async function get<S extends z.ZodType>(
    url: string,
    params: object,
    schema: S,
    what: string,
  ): Promise<z.output<S>> {
    const res = await send({ method: 'GET', url, params });
    return parseAnswer(WINLAS, what, schema, res.data);
  }

  return {
    async getCompetence(competenceId) {
      const id = validInput(WINLAS, text, competenceId, 'competence id');
      try {
        return await get(`${COMPETENCES_PATH}/${encodeURIComponent(id)}`, {}, competenceSchema, 'competence');
      } catch (err) {
        if (err instanceof RejectedError && err.status === 404) return undefined;
        throw err;
      }
    },

    async findPersonByEmail(email) {
      const wanted = validInput(WINLAS, z.string().trim().min(1).max(320), email, 'e-mail');
      const { results } = await get(
        PERSON_SEARCH_PATH,
        { email: wanted },
        personSearchSchema,
        'person search',
      );
      // WinLas matches trimmed and case-insensitively; checked again so a looser search cannot pick another.
      const key = wanted.toLowerCase();
      const matches = results
        .filter((p) => p.email.trim().toLowerCase() === key)
        .sort((a, b) => a.id.localeCompare(b.id));
      return matches[0];
    },

    async listPersons(query) {
      const q = validInput(
        WINLAS,
        z.object({
          page: z.number().int().min(1),
          pageSize: z.number().int().min(1).max(MAX_PERSONS_PER_PAGE).optional(),
        }),
        query,
        'persons query',
      );
      return get(PERSONS_PATH, q, personsPageSchema, 'persons page');
    },

    async listRegistrations(query) {
      const q = validInput(
        WINLAS,
        z.object({ personId: text, competenceId: text.optional() }),
        query,
        'registrations query',
      );
      const { results } = await get(
        registrationsPath(q.personId),
        q.competenceId !== undefined ? { competenceId: q.competenceId } : {},
        registrationsSchema,
        'registrations',
      );
      return q.competenceId === undefined
        ? results
        : results.filter((r) => r.competenceId === q.competenceId);
    },

    async registerCompetence(registration) {
      const body = validInput(WINLAS, registrationInputSchema, registration, 'registration');
      const res = await send({
        method: 'POST',
        url: REGISTRATIONS_PATH,
        data: { ...body, source: REGISTRATION_SOURCE },
        headers: { 'Content-Type': 'application/json' },
      });
      return parseAnswer(WINLAS, 'registration answer', registerAnswerSchema, res.data);
    },
  };
}
