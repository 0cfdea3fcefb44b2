/**
 * Requests sent with a client-credentials token from adapters/oauth2-client-credentials.ts: a token
 * the system refuses (401) is forgotten and the request sent once more with a new one, since a
 * system may end a token before it expires. A second 401 is the answer.
 */
import type { AxiosInstance } from 'axios';
import type { z } from 'zod';
import { parseAnswer } from './http';
import type { TokenProvider } from './oauth2-client-credentials';
import { RejectedError } from '../platform/errors';
import type { RateBudget } from '../platform/rate-budget';

/**
 * Sends with the current token, and once more with a renewed one when the system refused it: a
 * thrown RejectedError 401 (adapters/http.ts), or an answer `refused` says is one (for clients that
 * read every status themselves). Failures of the token request itself are not retried here.
 */
export async function withTokenRenewal<T>(
  tokens: TokenProvider,
  send: (token: string) => Promise<T>,
  refused: (answer: T) => boolean = () => false,
): Promise<T> {
  const token = await tokens.token();
  try {
    const answer = await send(token);
    if (!refused(answer)) return answer;
  } catch (err) {
    if (!(err instanceof RejectedError && err.status === 401)) throw err;
  }
  tokens.invalidate(token);
  return send(await tokens.token());
}

export interface AuthorizedReaderOptions {
  /** The system's name in errors. */
  system: string;
  /** The system's client from adapters/http.ts. */
  http: AxiosInstance;
  tokens: TokenProvider;
  /** Each GET (not the token request) takes one unit; a 429 marks it spent for every worker. */
  rateBudget?: RateBudget;
  /** How the system wants query parameters written, when not axios' default. */
  paramsSerializer?: { indexes: boolean | null };
}

/** One authorized GET whose answer is checked by `schema`; errors are adapters/http.ts' classes. */
export type AuthorizedRead = <S extends z.ZodType>(
  path: string,
  params: object,
  schema: S,
  what: string,
) => Promise<z.output<S>>;

export function createAuthorizedReader(opts: AuthorizedReaderOptions): AuthorizedRead {
  return async (path, params, schema, what) => {
    const res = await withTokenRenewal(opts.tokens, (token) => {
      const get = () =>
        opts.http.get(path, {
          params,
          headers: { Authorization: `Bearer ${token}` },
          ...(opts.paramsSerializer ? { paramsSerializer: opts.paramsSerializer } : {}),
        });
      return opts.rateBudget ? opts.rateBudget.spend(get) : get();
    });
    return parseAnswer(opts.system, what, schema, res.data);
  };
}
