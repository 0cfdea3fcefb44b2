/** OAuth2 client credentials with a cached token that is renewed shortly before it expires. */
import type { AxiosInstance } from 'axios';
import { parseAnswer } from '../http';
import type { Secret } from '../../platform/secret';
import { INFOCAPTION, TOKEN_PATH, TOKEN_RENEWAL_MARGIN_MS } from './limits';
import { tokenAnswerSchema } from './schemas';

export interface TokenProvider {
  token(): Promise<string>;
  /** Forgets a token InfoCaption refused, so the next call fetches a new one. */
  invalidate(token: string): void;
}

export function createTokenProvider(opts: {
  http: AxiosInstance;
  clientId: string;
  clientSecret: Secret;
  now?: () => number;
}): TokenProvider {
  const now = opts.now ?? Date.now;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: opts.clientId,
      client_secret: opts.clientSecret.reveal(),
    });
    const requestedAt = now();
    const res = await opts.http.post(TOKEN_PATH, form.toString(), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const answer = parseAnswer(INFOCAPTION, 'token answer', tokenAnswerSchema, res.data);
    const lifetimeMs = answer.expires_in * 1000;
    const margin = Math.min(TOKEN_RENEWAL_MARGIN_MS, lifetimeMs / 2);
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
