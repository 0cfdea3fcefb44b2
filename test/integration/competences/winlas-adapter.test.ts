/** The WinLas adapter against the WinLas simulator over HTTP (issue 11). */
import { createWinLasClient, type WinLasClient } from '../../../adapters/winlas';
import { RejectedError, SchemaError, TransientError } from '../../../platform/errors';
import { startWinLasSimulator, type WinLasSimulator } from '../../../simulators/winlas';

let sim: WinLasSimulator;
let client: WinLasClient;

beforeAll(async () => {
  sim = await startWinLasSimulator({ rateLimitPerSecond: null });
  client = createWinLasClient({ baseUrl: sim.url, apiKey: 'local-winlas-key', timeoutMs: 5000 });
});
afterAll(async () => sim.close());

beforeEach(() => {
  sim.reset();
  sim.setRateLimit(null);
  sim.seed({
    competences: [
      { id: 'C-SAFETY', name: 'Säkerhet' },
      { id: 'C-FIRE', name: 'Brandskydd', parentId: 'C-SAFETY', defaultValidityDays: 365 },
      { id: 'C-INTRO', name: 'Introduktion', parentId: 'C-SAFETY', defaultValidityDays: null },
    ],
    persons: [
      { id: 'P-1', email: 'anna.larsson@example.test', firstName: 'Anna', lastName: 'Larsson' },
      { id: 'P-2', email: '  Erik.Berg@Example.TEST', firstName: 'Erik', lastName: 'Berg' },
      { id: 'P-3', email: 'sara.lind@example.test', firstName: 'Sara', lastName: 'Lind' },
    ],
  });
});

const registration = {
  personId: 'P-1',
  competenceId: 'C-FIRE',
  validFrom: '2025-03-01',
  validTo: '2026-03-01',
  externalKey: 'infocaption:11:P-1:C-FIRE',
};

describe('WinLas adapter', () => {
  it('[CW-6] reads a competence with its default validity in days, or none; an unknown one is undefined', async () => {
    expect(await client.getCompetence('C-FIRE')).toEqual({
      id: 'C-FIRE',
      name: 'Brandskydd',
      defaultValidityDays: 365,
    });
    expect(await client.getCompetence('C-INTRO')).toEqual({
      id: 'C-INTRO',
      name: 'Introduktion',
      defaultValidityDays: null,
    });
    expect(await client.getCompetence('C-NOPE')).toBeUndefined();
  });

  it("[CW-3] WinLas's e-mail lookup is trimmed and case-insensitive, both ways; nobody is undefined", async () => {
    expect(await client.findPersonByEmail('  ANNA.Larsson@example.test ')).toMatchObject({ id: 'P-1' });
    expect(await client.findPersonByEmail('erik.berg@example.test')).toMatchObject({
      id: 'P-2',
      email: '  Erik.Berg@Example.TEST',
    });
    expect(await client.findPersonByEmail('nobody@example.test')).toBeUndefined();
    // A fixed e-mail is found from then on.
    await fetch(`${sim.url}/__admin/persons/P-3`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'sara.lind@new.example.test' }),
    });
    expect(await client.findPersonByEmail('sara.lind@example.test')).toBeUndefined();
    expect(await client.findPersonByEmail('Sara.Lind@new.example.test')).toMatchObject({ id: 'P-3' });
  });

  it('pages through the person directory', async () => {
    const first = await client.listPersons({ page: 1, pageSize: 2 });
    expect(first).toMatchObject({ totalPages: 2, currentPage: 1 });
    expect(first.results.map((p) => p.id)).toEqual(['P-1', 'P-2']);
    const second = await client.listPersons({ page: 2, pageSize: 2 });
    expect(second.results.map((p) => p.id)).toEqual(['P-3']);
  });

  it('[CW-5] registering is idempotent by externalKey: the same key again answers the existing registration, created=false', async () => {
    const made = await client.registerCompetence(registration);
    expect(made).toEqual({
      created: true,
      registration: { id: expect.any(String), ...registration, source: 'infocaption' },
    });
    const again = await client.registerCompetence(registration);
    expect(again).toEqual({ created: false, registration: made.registration });
    expect(await client.listRegistrations({ personId: 'P-1' })).toEqual([made.registration]);
    expect(await client.listRegistrations({ personId: 'P-1', competenceId: 'C-INTRO' })).toEqual([]);
    expect(sim.state.registrations.size).toBe(1);
  });

  it('[CW-5] a registration processed whose answer was lost: the retry with the same key makes no second one', async () => {
    sim.faults({ failNext: { count: 1, status: 500, on: 'register', afterProcessing: true } });
    const lost = await client.registerCompetence(registration).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(TransientError);
    expect(sim.state.registrations.size).toBe(1);
    const retried = await client.registerCompetence(registration);
    expect(retried.created).toBe(false);
    expect(sim.state.registrations.size).toBe(1);
    const stats = (await (await fetch(`${sim.url}/__admin/registrations/stats`)).json()) as unknown;
    expect(stats).toMatchObject({
      total: 1,
      bySource: { infocaption: 1 },
      byCompetence: { 'C-FIRE': 1 },
      duplicatePairs: 0,
    });
    // A second registration of the same person and competence under another key is a duplicate.
    await client.registerCompetence({ ...registration, externalKey: 'another-key' });
    expect(sim.state.registrationStats()).toMatchObject({ total: 2, duplicatePairs: 1 });
  });

  it('refuses an unknown person (NotFound), a key used for someone else (Conflict), a wrong API key (Unauthorized)', async () => {
    await expect(
      client.registerCompetence({ ...registration, personId: 'P-404', externalKey: 'k2' }),
    ).rejects.toMatchObject({
      status: 404,
      reason: 'NotFound',
    });
    await client.registerCompetence(registration);
    await expect(client.registerCompetence({ ...registration, personId: 'P-3' })).rejects.toMatchObject({
      status: 409,
      reason: 'Conflict',
    });
    await expect(client.listRegistrations({ personId: 'P-404' })).rejects.toBeInstanceOf(RejectedError);
    const wrong = createWinLasClient({ baseUrl: sim.url, apiKey: 'wrong' });
    await expect(wrong.getCompetence('C-FIRE')).rejects.toMatchObject({
      status: 401,
      reason: 'Unauthorized',
    });
    await expect(
      client.registerCompetence({ ...registration, validTo: '2024-01-01', externalKey: 'k3' }),
    ).rejects.toMatchObject({ reason: 'InvalidInput' });
  });

  it('[CW-9] a 429 with Retry-After surfaces as TransientError with the wait; the per-second limit answers 429 too', async () => {
    sim.faults({ rateLimitNext: { count: 1, retryAfterSeconds: 30, on: 'person-search' } });
    const limited = await client.findPersonByEmail('anna.larsson@example.test').catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(TransientError);
    expect(limited).toMatchObject({ status: 429, retryAfterMs: 30_000 });
    expect(sim.state.registrations.size).toBe(0);

    sim.setRateLimit(2);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => client.getCompetence('C-FIRE')),
    );
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused)
      expect((o as PromiseRejectedResult).reason).toMatchObject({ status: 429, retryAfterMs: 1000 });
    expect(sim.usage().rateLimit.refused).toBe(refused.length);
  });

  it('a malformed answer is a SchemaError; a 5xx is transient', async () => {
    sim.faults({ malformedNext: { count: 1 } });
    await expect(client.getCompetence('C-FIRE')).rejects.toBeInstanceOf(SchemaError);
    sim.faults({ failNext: { count: 1, status: 503, on: 'register' } });
    await expect(client.registerCompetence(registration)).rejects.toMatchObject({
      status: 503,
      retryable: true,
    });
    expect(sim.state.registrations.size).toBe(0);
  });
});
