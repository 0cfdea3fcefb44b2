import {
  createItslearningClient,
  toImseDocument,
  type ItslearningClient,
} from '../../../adapters/itslearning';
import { batchPlan, planSync, summarizePlan, type Roster } from '../../../domain/roster';
import { startItslearningSimulator, type ItslearningSimulator } from '../../../simulators/itslearning';
import { largeRoster, smallRoster, SOURCE } from '../../unit/roster/roster-fixture';

const policy = { syncKeySource: SOURCE };

describe('roster sync into the itslearning simulator', () => {
  let sim: ItslearningSimulator;
  let client: ItslearningClient;
  beforeAll(async () => {
    sim = await startItslearningSimulator({ syncKeySource: SOURCE });
    client = createItslearningClient({ baseUrl: sim.url, syncKeySource: SOURCE });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.state.reset();
    sim.importer.reset();
    sim.importer.idempotencyCache = true;
    sim.state.seed({
      persons: [{ ref: 'admin', firstName: 'Ada', lastName: 'Admin', institutionRoles: ['Administrator'] }],
      groups: [{ ref: 'own-course', type: 'Course', title: 'Adas egen kurs' }],
      memberships: [{ groupRef: 'own-course', personRef: 'admin', role: 'Instructor' }],
    });
  });

  async function sync(source: Roster, runId: string, batchSize = 3) {
    const plan = planSync(source, await client.readSyncedState(), policy);
    for (const batch of batchPlan(plan, batchSize, { runId })) {
      const report = await client.importDocument(toImseDocument(batch), batch.idempotencyKey);
      expect(report.warnings).toEqual([]);
    }
    return plan;
  }

  const manualEntities = () => ({
    persons: [...sim.state.persons.values()].filter((p) => p.syncKey === null),
    groups: [...sim.state.groups.values()].filter((g) => g.syncKey === null),
    memberships: [...sim.state.memberships.values()].filter((m) => m.syncSource === null),
  });

  it('[IMSE-1] applying every batch makes the target equal to the source: planning again gives an empty plan', async () => {
    const first = await sync(smallRoster(), 'run-1');
    expect(summarizePlan(first).totals.create).toBe(20);
    expect(planSync(smallRoster(), await client.readSyncedState(), policy).operations).toEqual([]);

    const roster = smallRoster();
    const nextDay: Roster = {
      persons: roster.persons
        .filter((p) => p.sourcedId !== 'p-cia')
        .map((p) => (p.sourcedId === 'p-bo' ? { ...p, email: 'bo.berg@skola.test' } : p)),
      units: roster.units,
      groups: roster.groups.map((g) =>
        g.sourcedId === 'c-7b' ? { ...g, name: '8B', parentId: 'u-norra' } : g,
      ),
      memberships: [
        ...roster.memberships.filter((m) => m.personId !== 'p-cia'),
        { groupId: 'c-7b', personId: 'p-bo', role: 'Learner' },
      ],
    };
    const second = await sync(nextDay, 'run-2');
    expect(summarizePlan(second).totals).toEqual({ create: 1, update: 2, delete: 2, held: 0 });
    expect(planSync(nextDay, await client.readSyncedState(), policy).operations).toEqual([]);
  });

  it('[IMSE-2] a manual administrator in the target survives a full sync that does not mention it', async () => {
    const before = manualEntities();
    await sync(smallRoster(), 'run-1');
    await sync({ persons: [], units: [], groups: [], memberships: [] }, 'run-2');
    expect(sim.state.persons.size).toBe(1);
    expect(manualEntities()).toEqual(before);
    expect(before.persons).toHaveLength(1);
  });

  it('[IMSE-10] planning writes nothing to the target', async () => {
    await sync(smallRoster(), 'run-1');
    const snapshot = async () => (await fetch(`${sim.url}/__admin/state`)).json();
    const before = await snapshot();
    const importsBefore = sim.importer.log.length;
    const plan = planSync({ ...smallRoster(), persons: [] }, await client.readSyncedState(), policy);
    expect(summarizePlan(plan).totals.delete).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
    expect(sim.importer.log).toHaveLength(importsBefore);
  });

  it('[IMSE-1] resending batches after a crash applies nothing twice and loses nothing', async () => {
    const plan = planSync(smallRoster(), await client.readSyncedState(), policy);
    const batches = batchPlan(plan, 3, { runId: 'run-1', createdAt: '2024-06-20T18:00:00.000Z' });
    const half = Math.floor(batches.length / 2);
    const firstReports = [];
    for (const batch of batches.slice(0, half + 1))
      firstReports.push(await client.importDocument(toImseDocument(batch), batch.idempotencyKey));
    // The worker died after sending batch `half` but before recording it; the retry starts at `half` again.
    const resent = batchPlan(plan, 3, { runId: 'run-1', createdAt: '2024-06-20T18:00:00.000Z' });
    const replay = await client.importDocument(toImseDocument(resent[half]!), resent[half]!.idempotencyKey);
    expect(replay).toEqual(firstReports[half]);
    for (const batch of resent.slice(half + 1))
      await client.importDocument(toImseDocument(batch), batch.idempotencyKey);
    expect(sim.importer.log.filter((e) => e.outcome === 'applied')).toHaveLength(batches.length);
    expect(planSync(smallRoster(), await client.readSyncedState(), policy).operations).toEqual([]);
  });

  it('[IMSE-1] a re-sent batch changes nothing even without an idempotency cache, as against the real import', async () => {
    // The real itslearning import keeps no idempotency keys: a re-sent batch is imported again.
    sim.importer.idempotencyCache = false;
    await sync(smallRoster(), 'run-1');
    const roster = smallRoster();
    const nextDay: Roster = {
      ...roster,
      persons: roster.persons
        .filter((p) => p.sourcedId !== 'p-cia')
        .map((p) => (p.sourcedId === 'p-bo' ? { ...p, email: 'bo.berg@skola.test' } : p)),
      memberships: roster.memberships.filter((m) => m.personId !== 'p-cia'),
    };
    const plan = planSync(nextDay, await client.readSyncedState(), policy);
    expect(summarizePlan(plan).totals).toMatchObject({ update: 1, delete: 2 });
    const batches = batchPlan(plan, 3, { runId: 'run-2' });
    for (const batch of batches) await client.importDocument(toImseDocument(batch), batch.idempotencyKey);
    const snapshot = async () => (await fetch(`${sim.url}/__admin/state`)).json();
    const after = await snapshot();

    const resent: Awaited<ReturnType<ItslearningClient['importDocument']>>[] = [];
    for (const batch of batches)
      resent.push(await client.importDocument(toImseDocument(batch), batch.idempotencyKey));

    expect(await snapshot()).toEqual(after);
    const replays = sim.importer.log.slice(-batches.length);
    expect(replays.map((e) => e.outcome)).toEqual(batches.map(() => 'applied'));
    // A re-sent add or update is an update with the same values; a re-sent delete finds nothing.
    const total = (k: 'created' | 'updated' | 'deleted' | 'unchanged') =>
      resent.reduce((n, r) => n + r.persons[k] + r.groups[k] + r.memberships[k], 0);
    expect({ created: total('created'), updated: total('updated'), deleted: total('deleted') }).toEqual({
      created: 0,
      updated: 0,
      deleted: 0,
    });
    expect(total('unchanged')).toBeGreaterThan(0);
    expect(resent.flatMap((r) => r.warnings).filter((w) => w.includes('unknown'))).toHaveLength(
      summarizePlan(plan).totals.delete,
    );
    expect(planSync(nextDay, await client.readSyncedState(), policy).operations).toEqual([]);
  });

  it('[IMSE-1] a school-sized roster round-trips through batches of 1000', async () => {
    const roster = largeRoster({ students: 2000, groupsPerStudent: 3 });
    const started = Date.now();
    const plan = await sync(roster, 'run-big', 1000);
    const ms = Date.now() - started;
    console.log(
      `applied ${plan.operations.length} operations in ${ms} ms (${Math.round((plan.operations.length / ms) * 1000)} operations/s)`,
    );
    expect(planSync(roster, await client.readSyncedState(), policy).operations).toEqual([]);
  });
});
