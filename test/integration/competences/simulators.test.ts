/** The InfoCaption and WinLas simulators' own behaviour over HTTP: generators, counters, admin routes. */
import { startInfoCaptionSimulator, type InfoCaptionSimulator } from '../../../simulators/infocaption';
import { startWinLasSimulator, type WinLasSimulator } from '../../../simulators/winlas';

let infocaption: InfoCaptionSimulator;
let winlas: WinLasSimulator;

const post = async (url: string, body: unknown): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function token(): Promise<string> {
  const res = await fetch(`${infocaption.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=integrations&client_secret=local-infocaption-secret',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  infocaption = await startInfoCaptionSimulator({ rateLimitPerSecond: null });
  winlas = await startWinLasSimulator({ rateLimitPerSecond: null });
});
afterAll(async () => {
  await infocaption.close();
  await winlas.close();
});

describe('InfoCaption and WinLas simulators', () => {
  it('[CW-9] generate 100,000 historical participants over 5 courses and matching WinLas persons through admin, quickly', async () => {
    const started = Date.now();
    const generated = await post(`${infocaption.url}/__admin/generate`, {
      guides: [1, 2, 3, 4, 5].map((n) => ({ id: 500 + n, name: `Kurs ${n}`, type: 14 })),
      participants: 100_000,
      failEvery: 10,
    });
    expect(generated.status).toBe(200);
    expect(await generated.json()).toMatchObject({
      guideIds: [501, 502, 503, 504, 505],
      participants: 100_000,
    });
    const persons = await post(`${winlas.url}/__admin/generate`, { persons: 100_000, skipEvery: 1000 });
    expect(await persons.json()).toEqual({ persons: 99_900, skipped: 100 });
    expect(Date.now() - started).toBeLessThan(10_000);

    const bearer = { authorization: `Bearer ${await token()}` };
    const last = await fetch(`${infocaption.url}/API/public/guides/503/results?page=20&hitsPerPage=1000`, {
      headers: bearer,
    });
    const page = (await last.json()) as {
      results: { email: string; passed: boolean; completedAt: string }[];
      totalHits: number;
      totalPages: number;
    };
    expect(page).toMatchObject({ totalHits: 20_000, totalPages: 20, currentPage: 20 });
    expect(page.results).toHaveLength(1000);
    const times = page.results.map((r) => r.completedAt);
    expect([...times].sort()).toEqual(times);
    expect(page.results.filter((r) => !r.passed).length).toBe(100);

    const email = page.results[0]?.email ?? '';
    const search = await fetch(
      `${winlas.url}/api/v1/persons/search?email=${encodeURIComponent(email.toUpperCase())}`,
      {
        headers: { 'x-api-key': 'local-winlas-key' },
      },
    );
    expect(((await search.json()) as { results: { email: string }[] }).results).toEqual([
      expect.objectContaining({ email }),
    ]);
    const state = (await (await fetch(`${winlas.url}/__admin/state`)).json()) as Record<string, unknown>;
    expect(state).toMatchObject({ personCount: 99_900, registrationCount: 0 });
    expect(state.persons).toBeUndefined();
  });

  it('counts requests per route and the peak per second; the rate limit is set through admin', async () => {
    infocaption.resetUsage();
    await post(`${infocaption.url}/__admin/rate-limit`, { perSecond: 2 });
    const bearer = { authorization: `Bearer ${await token()}` };
    const statuses = await Promise.all(
      Array.from(
        { length: 5 },
        async () => (await fetch(`${infocaption.url}/API/public/guides/501`, { headers: bearer })).status,
      ),
    );
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const usage = (await (await fetch(`${infocaption.url}/__admin/usage`)).json()) as {
      requests: { byRoute: Record<string, number> };
      rateLimit: { perSecond: number; peakPerSecond: number; refused: number };
    };
    expect(usage.requests.byRoute).toEqual({ guide: 5 });
    expect(usage.rateLimit).toMatchObject({
      perSecond: 2,
      refused: statuses.filter((s) => s === 429).length,
    });
    expect(usage.rateLimit.peakPerSecond).toBeLessThanOrEqual(2);
    await post(`${infocaption.url}/__admin/rate-limit`, { perSecond: null });
  });

  it('admin routes refuse bad input with 400 and clashes with 409, and never count as API requests', async () => {
    winlas.resetUsage();
    expect((await post(`${winlas.url}/__admin/competences`, { name: '' })).status).toBe(400);
    expect(
      (
        await post(`${winlas.url}/__admin/persons`, {
          id: 'GP-1',
          email: 'x@y.test',
          firstName: 'X',
          lastName: 'Y',
        })
      ).status,
    ).toBe(409);
    expect((await post(`${winlas.url}/__admin/faults`, { latencyMs: 5, latencyOn: 'register' })).status).toBe(
      200,
    );
    expect(winlas.usage().requests.total).toBe(0);
    await fetch(`${winlas.url}/__admin/faults`, { method: 'DELETE' });
  });
});
