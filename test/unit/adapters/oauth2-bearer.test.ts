import { withTokenRenewal } from '../../../adapters/oauth2-bearer';
import type { TokenProvider } from '../../../adapters/oauth2-client-credentials';
import { RejectedError, TransientError } from '../../../platform/errors';

/** Hands out token-1, token-2, … and keeps one until it is invalidated, as the real provider does. */
function countingTokens(): TokenProvider & { fetched: number; invalidated: string[] } {
  let current: string | undefined;
  const provider = {
    fetched: 0,
    invalidated: [] as string[],
    token: async () => (current ??= `token-${++provider.fetched}`),
    invalidate: (token: string) => {
      provider.invalidated.push(token);
      if (current === token) current = undefined;
    },
  };
  return provider;
}

const unauthorized = () => new RejectedError('System', 'answered 401', 401, 'Unauthorized');

describe('withTokenRenewal (one request, renewed once on a 401)', () => {
  it('[PLAT-3] an accepted token is used as it is: one token request, one send', async () => {
    const tokens = countingTokens();
    const sent: string[] = [];
    await expect(withTokenRenewal(tokens, async (t) => (sent.push(t), 'answer'))).resolves.toBe('answer');
    await withTokenRenewal(tokens, async (t) => sent.push(t));
    expect(sent).toEqual(['token-1', 'token-1']);
    expect(tokens.fetched).toBe(1);
  });

  it('[PLAT-3] a thrown 401 forgets the token and sends once more with a new one', async () => {
    const tokens = countingTokens();
    const sent: string[] = [];
    const answer = await withTokenRenewal(tokens, async (t) => {
      sent.push(t);
      if (t === 'token-1') throw unauthorized();
      return 'answer';
    });
    expect(answer).toBe('answer');
    expect(sent).toEqual(['token-1', 'token-2']);
    expect(tokens.invalidated).toEqual(['token-1']);
  });

  it('[PLAT-3] a second 401 is the answer: no third send, two token requests', async () => {
    const tokens = countingTokens();
    let sends = 0;
    const err = await withTokenRenewal(tokens, async () => {
      sends += 1;
      throw unauthorized();
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect(err).toMatchObject({ status: 401 });
    expect(sends).toBe(2);
    expect(tokens.fetched).toBe(2);
  });

  it('[PLAT-3] other failures are not retried and keep the token', async () => {
    const tokens = countingTokens();
    let sends = 0;
    const forbidden = new RejectedError('System', 'answered 403', 403, 'Forbidden');
    await expect(withTokenRenewal(tokens, async () => (sends++, Promise.reject(forbidden)))).rejects.toBe(
      forbidden,
    );
    const busy = new TransientError('System', 'answered 503', 503);
    await expect(withTokenRenewal(tokens, async () => (sends++, Promise.reject(busy)))).rejects.toBe(busy);
    expect(sends).toBe(2);
    expect(tokens.invalidated).toEqual([]);
  });

  it('[PLAT-3] an answer the caller reads as refused is sent once more; a second refusal is returned', async () => {
    const tokens = countingTokens();
    const statuses = [401, 200];
    const first = await withTokenRenewal(
      tokens,
      async () => statuses.shift(),
      (status) => status === 401,
    );
    expect(first).toBe(200);
    const second = await withTokenRenewal(
      tokens,
      async () => 401,
      (status) => status === 401,
    );
    expect(second).toBe(401);
    expect(tokens.fetched).toBe(3);
  });
});
