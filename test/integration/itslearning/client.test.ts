import { createItslearningClient, type ItslearningClient } from '../../../adapters/itslearning';
import { RejectedError, SchemaError, TransientError } from '../../../platform/errors';
import { Secret } from '../../../platform/secret';
import { startItslearningSimulator, type ItslearningSimulator } from '../../../simulators/itslearning';

const SOURCE = 'procapita-test';
const API_KEY = 'local-itslearning-key';
const doc = (id: string, recstatus = 1) =>
  `<?xml version="1.0"?><enterprise><properties><datasource>${SOURCE}</datasource><datetime>2024-06-20T18:00:00Z</datetime></properties>` +
  `<person recstatus="${recstatus}"><sourcedid><source>${SOURCE}</source><id>${id}</id></sourcedid><name><fn>Anna A</fn><n><family>A</family><given>Anna</given></n></name>` +
  `<institutionrole primaryrole="Yes" institutionroletype="Student"/></person></enterprise>`;

describe('itslearning client against the simulator', () => {
  let sim: ItslearningSimulator;
  let client: ItslearningClient;
  beforeAll(async () => {
    sim = await startItslearningSimulator({ syncKeySource: SOURCE, apiKey: API_KEY });
    client = createItslearningClient({
      baseUrl: sim.url,
      syncKeySource: SOURCE,
      apiKey: new Secret(API_KEY),
      timeoutMs: 5000,
    });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await fetch(`${sim.url}/__admin/reset`, { method: 'POST' });
  });

  it('[IMSE-1] imports a document and reads it back in canonical shape', async () => {
    const report = await client.importDocument(doc('p1'), 'key-1');
    expect(report.persons).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
    const state = await client.readSyncedState();
    expect(state.persons).toEqual([
      { sourcedId: 'p1', givenName: 'Anna', familyName: 'A', roles: ['student'], syncSource: SOURCE },
    ]);
  });

  it('[IMSE-1] the idempotency key keeps a repeated send from being applied twice', async () => {
    const first = await client.importDocument(doc('p1'), 'key-1');
    await client.importDocument(doc('p1', 3), 'key-2');
    const repeated = await client.importDocument(doc('p1'), 'key-1');
    expect(repeated).toEqual(first);
    expect(sim.state.persons.size).toBe(0);
  });

  it('[PLAT-11] reports its progress page by page while reading the target', async () => {
    sim.state.seed({
      persons: Array.from({ length: 6001 }, (_, i) => ({
        syncKey: { source: SOURCE, id: `p${i}` },
        firstName: 'P',
        lastName: String(i),
      })),
    });
    const progress: Array<{ kind: string; read: number }> = [];
    const state = await client.readSyncedState((p) => progress.push({ ...p }));
    expect(state.persons).toHaveLength(6001);
    // Pages of 5,000: two person pages, then one (empty) page each of groups and memberships.
    expect(progress).toEqual([
      { kind: 'persons', read: 5000 },
      { kind: 'persons', read: 6001 },
      { kind: 'groups', read: 0 },
      { kind: 'memberships', read: 0 },
    ]);
  });

  it('[IMSE-2] reads only what lies under its sync key source', async () => {
    sim.state.seed({
      persons: [
        { firstName: 'Ada', lastName: 'Admin', institutionRoles: ['Administrator'] },
        { syncKey: { source: 'other', id: 'p1' }, firstName: 'Olle', lastName: 'O' },
      ],
    });
    await client.importDocument(doc('p1'), 'key-1');
    expect((await client.readSyncedState()).persons.map((p) => p.sourcedId)).toEqual(['p1']);
    expect(sim.state.persons.size).toBe(3);
  });

  it('never sends a document that fails validation', async () => {
    const err = await client
      .importDocument('<enterprise><person/></enterprise>', 'key-x')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).type).toBe('itslearning.InvalidDocument');
    expect(sim.importer.log).toHaveLength(0);
  });

  it('503 is a TransientError, 429 carries Retry-After, a malformed answer is a SchemaError', async () => {
    sim.faults.set({ failNext: 1, failStatus: 503 });
    const unavailable = await client.importDocument(doc('p1'), 'key-1').catch((e: unknown) => e);
    expect(unavailable).toBeInstanceOf(TransientError);
    expect((unavailable as TransientError).status).toBe(503);

    sim.faults.set({ rateLimitNext: 1, retryAfterSeconds: 7 });
    const limited = await client.readSyncedState().catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(TransientError);
    expect((limited as TransientError).retryAfterMs).toBe(7000);

    sim.faults.set({ malformedNext: 1 });
    expect(await client.readSyncedState().catch((e: unknown) => e)).toBeInstanceOf(SchemaError);
    expect(sim.state.persons.size).toBe(0);
  });

  it('a wrong API key is rejected', async () => {
    const stranger = createItslearningClient({
      baseUrl: sim.url,
      syncKeySource: SOURCE,
      apiKey: new Secret('wrong'),
    });
    const err = await stranger.readSyncedState().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).status).toBe(401);
  });
});
