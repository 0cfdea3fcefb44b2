/** The HTTP implementation of {@link InfoCaptionClient}, on adapters/http.ts with zod at every answer. */
import { z } from 'zod';
import { createHttpClient, validInput } from '../http';
import { createAuthorizedReader } from '../oauth2-bearer';
import { createClientCredentialsTokenProvider } from '../oauth2-client-credentials';
import { RejectedError } from '../../platform/errors';
import type { RateBudget } from '../../platform/rate-budget';
import { Secret } from '../../platform/secret';
import {
  courseResultsPath,
  DEFAULT_TIMEOUT_MS,
  GUIDES_PATH,
  INFOCAPTION,
  MAX_GUIDES_PER_PAGE,
  MAX_RESULTS_PER_PAGE,
  TOKEN_PATH,
  TOKEN_RENEWAL_MARGIN_MS,
} from './limits';
import { courseResultsPageSchema, guideSchema, guidesPageSchema } from './schemas';
import type { InfoCaptionClient } from './types';

export interface InfoCaptionClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: Secret | string;
  timeoutMs?: number;
  /** The `infocaption-api` budget shared by every worker: each API request takes one unit, a 429 spends it for all. */
  rateBudget?: RateBudget;
  now?: () => number;
}

const guidesQuerySchema = z.object({
  page: z.number().int().min(1),
  hitsPerPage: z.number().int().min(1).max(MAX_GUIDES_PER_PAGE).optional(),
  types: z.array(z.number().int()).optional(),
  searchQuery: z.string().optional(),
});
const resultsQuerySchema = z.object({
  guideId: z.number().int().positive(),
  page: z.number().int().min(1),
  hitsPerPage: z.number().int().min(1).max(MAX_RESULTS_PER_PAGE).optional(),
  completedSince: z.iso.datetime({ offset: true }).optional(),
});

/**
 * Failures are the platform's errors: TransientError (timeouts, 429 with `retryAfterMs`, 5xx),
 * RejectedError (400, 401 after one renewed token, 403, 404 `NotFound` for the results of a deleted
 * guide) and SchemaError (a malformed or unexpected answer).
 */
export function createInfoCaptionClient(opts: InfoCaptionClientOptions): InfoCaptionClient {
  const http = createHttpClient({
    system: INFOCAPTION,
    baseURL: opts.baseUrl,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const clientSecret =
    typeof opts.clientSecret === 'string' ? new Secret(opts.clientSecret) : opts.clientSecret;
  const tokens = createClientCredentialsTokenProvider({
    system: INFOCAPTION,
    http,
    tokenPath: TOKEN_PATH,
    clientId: opts.clientId,
    clientSecret,
    renewalMarginMs: TOKEN_RENEWAL_MARGIN_MS,
    now: opts.now,
  });

  const read = createAuthorizedReader({
    system: INFOCAPTION,
    http,
    tokens,
    rateBudget: opts.rateBudget,
    // `type[]=14&type[]=18`, the way InfoCaption's public client code sends it.
    paramsSerializer: { indexes: false },
  });

  return {
    async getGuide(guideId) {
      const id = validInput(INFOCAPTION, z.number().int().positive(), guideId, 'guide id');
      try {
        return await read(`${GUIDES_PATH}/${id}`, {}, guideSchema, 'guide');
      } catch (err) {
        if (err instanceof RejectedError && err.status === 404) return undefined;
        throw err;
      }
    },

    async listGuides(query) {
      const q = validInput(INFOCAPTION, guidesQuerySchema, query, 'guides query');
      return read(
        GUIDES_PATH,
        {
          page: q.page,
          ...(q.hitsPerPage !== undefined ? { hitsPerPage: q.hitsPerPage } : {}),
          ...(q.searchQuery ? { searchQuery: q.searchQuery } : {}),
          ...(q.types?.length ? { type: q.types } : {}),
        },
        guidesPageSchema,
        'guides page',
      );
    },

    async listCourseResults(query) {
      const q = validInput(INFOCAPTION, resultsQuerySchema, query, 'course results query');
      return read(
        courseResultsPath(q.guideId),
        {
          page: q.page,
          ...(q.hitsPerPage !== undefined ? { hitsPerPage: q.hitsPerPage } : {}),
          ...(q.completedSince !== undefined ? { completedSince: q.completedSince } : {}),
        },
        courseResultsPageSchema,
        'course results page',
      );
    },
  };
}
