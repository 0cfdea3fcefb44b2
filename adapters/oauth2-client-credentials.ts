/**
 * OAuth2 client credentials for the adapters (Coachview, InfoCaption, WISEflow): the token is fetched
 * with a form post, cached until shortly before it expires, fetched by one request at a time, and
 * forgotten when the system refuses it, so the next call renews it.
 */
import type { AxiosInstance, AxiosResponse } from 'axios';
import { z } from 'zod';
import { parseAnswer } from './http';
import type { Secret } from '../platform/secret';

export const tokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'must be Bearer'),
  expires_in: z.number().int().positive(),
});

export interface TokenProvider {
  token(): Promise<string>;
  /** Forgets a token the system refused (401), so the next call fetches a new one. */
  invalidate(token: string): void;
}

export interface ClientCredentialsOptions {
  /** The system's name in errors. */
  system: string;
  /** The system's client from adapters/http.ts; the token path is relative to its base URL. */
  http: AxiosInstance;
  tokenPath: string;
  clientId: string;
  clientSecret: Secret;
  /** Renew a token this long before `expires_in` runs out (at most half its lifetime). */
  renewalMarginMs: number;
  /** Runs right before each token request, e.g. so a rate budget counts it. */
  beforeRequest?: () => Promise<void>;
  /** Turns an error answer into the adapter's own failure; without it adapters/http.ts classifies it. */
  failure?: (res: AxiosResponse) => Error;
  now?: () => number;
}

export function createClientCredentialsTokenProvider(opts: ClientCredentialsOptions): TokenProvider {
  const now = opts.now ?? Date.now;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: opts.clientId,
      client_secret: opts.clientSecret.reveal(),
    });
    await opts.beforeRequest?.();
    const requestedAt = now();
    const res = await opts.http.post(opts.tokenPath, form.toString(), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      ...(opts.failure ? { validateStatus: () => true } : {}),
    });
    if (opts.failure && res.status >= 400) throw opts.failure(res);
    const answer = parseAnswer(opts.system, 'token answer', tokenAnswerSchema, res.data);
    const lifetimeMs = answer.expires_in * 1000;
    const margin = Math.min(opts.renewalMarginMs, lifetimeMs / 2);
    cached = { token: answer.access_token, renewAt: requestedAt + lifetimeMs - margin };
    return answer.access_token;
  }

  return {
    async token() {
      if (cached && now() < cached.renewAt) return cached.token;
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
