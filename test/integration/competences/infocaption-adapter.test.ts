/** The InfoCaption adapter against the InfoCaption simulator over HTTP (issue 11). */
import { createInfoCaptionClient, guideTypes, type InfoCaptionClient } from '../../../adapters/infocaption';
import { RejectedError, SchemaError, TransientError } from '../../../platform/errors';
import { createMemoryBudgetStore, RateBudget } from '../../../platform/rate-budget';
import { startInfoCaptionSimulator, type InfoCaptionSimulator } from '../../../simulators/infocaption';

let sim: InfoCaptionSimulator;
let client: InfoCaptionClient;

const clientFor = (s: InfoCaptionSimulator, extra: { clientSecret?: string } = {}): InfoCaptionClient =>
  createInfoCaptionClient({
    baseUrl: s.url,
    clientId: 'integrations',
    clientSecret: extra.clientSecret ?? 'local-infocaption-secret',
    timeoutMs: 5000,
  });

beforeAll(async () => {
  sim = await startInfoCaptionSimulator({ rateLimitPerSecond: null });
});
afterAll(async () => sim.close());

beforeEach(() => {
  sim.reset();
  sim.setRateLimit(null);
  sim.seed({
    guides: [
      { id: 11, name: 'Brandskydd grund', type: guideTypes.course, published: true },
      { id: 12, name: 'HLR praktisk övning', type: guideTypes.physicalCourse, published: true },
      { id: 13, name: 'Brandskydd (utkast)', type: guideTypes.course, published: false },
      { id: 14, name: 'Så loggar du in', type: 3, published: true },
      { id: 15, name: 'Arbetsmiljö', type: guideTypes.course, published: true },
    ],
    users: [
      { userId: 1, email: 'anna.larsson@example.test', firstName: 'Anna', lastName: 'Larsson' },
      { userId: 2, email: ' Erik.Berg@Example.TEST ', firstName: 'Erik', lastName: 'Berg' },
      { userId: 3, email: 'sara.lind@example.test', firstName: 'Sara', lastName: 'Lind' },
    ],
    results: [
      { guideId: 11, userId: 3, passed: true, completedAt: '2025-03-02T10:00:00Z' },
      { guideId: 11, userId: 1, passed: true, completedAt: '2025-03-01T10:00:00Z' },
      { guideId: 11, userId: 2, passed: false, completedAt: '2025-03-01T10:00:00Z' },
    ],
  });
  client = clientFor(sim);
});

describe('InfoCaption adapter', () => {
  it('[CW-1] lists guides as the public listing pages them: type[] 14/18, the published flag, searchQuery', async () => {
    const courses = await client.listGuides({
      page: 1,
      types: [guideTypes.course, guideTypes.physicalCourse],
    });
    expect(courses).toEqual({
      results: [
        { id: 11, name: 'Brandskydd grund', type: 14, published: true },
        { id: 12, name: 'HLR praktisk övning', type: 18, published: true },
        { id: 13, name: 'Brandskydd (utkast)', type: 14, published: false },
        { id: 15, name: 'Arbetsmiljö', type: 14, published: true },
      ],
      totalHits: 4,
      totalPages: 1,
      currentPage: 1,
    });
    const second = await client.listGuides({ page: 2, hitsPerPage: 3, types: [14, 18] });
    expect(second).toMatchObject({ totalHits: 4, totalPages: 2, currentPage: 2 });
    expect(second.results.map((g) => g.id)).toEqual([15]);
    const search = await client.listGuides({ page: 1, searchQuery: 'brandskydd' });
    expect(search.results.map((g) => g.id)).toEqual([11, 13]);
    const all = await client.listGuides({ page: 1 });
    expect(all.totalHits).toBe(5);
  });

  it('[CW-8] a deleted guide answers 404: getGuide is undefined, its results are RejectedError NotFound, the listing leaves it out', async () => {
    expect(await client.getGuide(11)).toEqual({
      id: 11,
      name: 'Brandskydd grund',
      type: 14,
      published: true,
    });
    const res = await fetch(`${sim.url}/__admin/guides/11`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await client.getGuide(11)).toBeUndefined();
    expect(await client.getGuide(999)).toBeUndefined();
    const err = await client.listCourseResults({ guideId: 11, page: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect(err).toMatchObject({ status: 404, reason: 'NotFound' });
    const listed = await client.listGuides({ page: 1, types: [14] });
    expect(listed.results.map((g) => g.id)).toEqual([13, 15]);
  });

  it('[CW-4] pages course results in a stable order (completedAt, resultId) with pass/fail, and completedSince asks only for what is new', async () => {
    const first = await client.listCourseResults({ guideId: 11, page: 1, hitsPerPage: 2 });
    expect(first).toMatchObject({ guideId: 11, totalHits: 3, totalPages: 2, currentPage: 1 });
    expect(first.results.map((r) => [r.userId, r.passed, r.completedAt])).toEqual([
      [1, true, '2025-03-01T10:00:00.000Z'],
      [2, false, '2025-03-01T10:00:00.000Z'],
    ]);
    expect(first.results[1]).toMatchObject({
      email: ' Erik.Berg@Example.TEST ',
      firstName: 'Erik',
      lastName: 'Berg',
    });
    // A new completion appends: the finished first page stays as it was.
    sim.state.addResult({ guideId: 11, userId: 1, passed: true, completedAt: '2025-04-01T09:00:00Z' });
    const again = await client.listCourseResults({ guideId: 11, page: 1, hitsPerPage: 2 });
    expect(again.results).toEqual(first.results);
    expect(again.totalHits).toBe(4);
    const since = await client.listCourseResults({
      guideId: 11,
      page: 1,
      completedSince: '2025-03-02T10:00:00Z',
    });
    expect(since.totalHits).toBe(2);
    expect(since.results.map((r) => r.completedAt)).toEqual([
      '2025-03-02T10:00:00.000Z',
      '2025-04-01T09:00:00.000Z',
    ]);
    const beyond = await client.listCourseResults({ guideId: 11, page: 9, hitsPerPage: 2 });
    expect(beyond.results).toEqual([]);
  });

  it('[CW-9] a 429 with Retry-After surfaces as TransientError with the wait; 5xx is transient; a cut-off body is a SchemaError', async () => {
    sim.faults({ rateLimitNext: { count: 1, retryAfterSeconds: 7, on: 'results' } });
    const limited = await client.listCourseResults({ guideId: 11, page: 1 }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(TransientError);
    expect(limited).toMatchObject({ status: 429, retryAfterMs: 7000 });
    sim.faults({ failNext: { count: 1, status: 503 } });
    await expect(client.listGuides({ page: 1 })).rejects.toMatchObject({ status: 503, retryable: true });
    sim.faults({ malformedNext: { count: 1, on: 'guide' } });
    await expect(client.getGuide(11)).rejects.toBeInstanceOf(SchemaError);
    expect(await client.getGuide(11)).toMatchObject({ id: 11 });
  });

  it('[CW-9] the per-second rate limit answers 429 with Retry-After; within the infocaption-api budget no request is refused', async () => {
    sim.setRateLimit(3);
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => client.getGuide(12)));
    const refused = outcomes
      .filter((o) => o.status === 'rejected')
      .map((o) => (o as PromiseRejectedResult).reason);
    expect(refused.length).toBeGreaterThan(0);
    for (const err of refused) expect(err).toMatchObject({ status: 429, retryAfterMs: 1000 });

    await new Promise((r) => setTimeout(r, 1100));
    sim.resetUsage();
    const budget = new RateBudget(
      {
        name: 'infocaption-api',
        policy: { kind: 'token-bucket', limit: 2, perMs: 1000, burst: 1 },
        maxWaitMs: 10_000,
        spreadMs: 1000,
      },
      createMemoryBudgetStore(),
    );
    const budgeted = createInfoCaptionClient({
      baseUrl: sim.url,
      clientId: 'integrations',
      clientSecret: 'local-infocaption-secret',
      rateBudget: budget,
    });
    for (let i = 0; i < 6; i++) expect(await budgeted.getGuide(12)).toMatchObject({ id: 12 });
    const usage = sim.usage();
    expect(usage.requests.byRoute.guide).toBe(6);
    expect(usage.rateLimit.refused).toBe(0);
    expect(usage.rateLimit.peakPerSecond).toBeLessThanOrEqual(3);
  });

  it('OAuth2 client credentials: one token serves many calls, a revoked token is renewed once, a wrong secret is Unauthorized', async () => {
    await client.getGuide(11);
    await client.listGuides({ page: 1 });
    await client.listCourseResults({ guideId: 11, page: 1 });
    expect(sim.usage().tokenRequests).toBe(1);
    expect(sim.usage().requests.byRoute).toEqual({ guide: 1, guides: 1, results: 1 });

    const shortLived = await startInfoCaptionSimulator({ tokenTtlSeconds: 2, rateLimitPerSecond: null });
    try {
      shortLived.seed({ guides: [{ id: 1, name: 'Kurs', type: 14 }] });
      const c = clientFor(shortLived);
      await c.getGuide(1);
      await c.getGuide(1);
      expect(shortLived.usage().tokenRequests).toBe(1);
      await new Promise((r) => setTimeout(r, 1100)); // past half the lifetime: renewed before it dies
      await c.getGuide(1);
      expect(shortLived.usage().tokenRequests).toBe(2);
    } finally {
      await shortLived.close();
    }

    const revoked = await fetch(`${sim.url}/__admin/reset`, { method: 'POST' });
    expect(revoked.status).toBe(204);
    sim.seed({ guides: [{ id: 11, name: 'Brandskydd grund', type: 14 }] });
    expect(await client.getGuide(11)).toMatchObject({ id: 11 });
    expect(sim.usage().tokenRequests).toBe(1);

    const wrong = clientFor(sim, { clientSecret: 'not-the-secret' });
    await expect(wrong.getGuide(11)).rejects.toMatchObject({ status: 401, reason: 'Unauthorized' });
  });

  it('refuses a bad query before sending anything', async () => {
    await expect(client.listCourseResults({ guideId: 11, page: 0 })).rejects.toMatchObject({
      reason: 'InvalidInput',
    });
    expect(sim.usage().requests.total).toBe(0);
  });
});
