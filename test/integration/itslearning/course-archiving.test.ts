/**
 * Course and term archiving (IMSE-8, IMSE-9) end to end against the itslearning simulator over
 * HTTP: plan with the real planner, apply every batch through the client, read the site back.
 */
import {
  createItslearningClient,
  toImseDocument,
  type ItslearningClient,
} from '../../../adapters/itslearning';
import {
  batchPlan,
  operationKey,
  planSync,
  summarizePlan,
  type PlanPolicy,
  type Roster,
} from '../../../domain/roster';
import { startItslearningSimulator, type ItslearningSimulator } from '../../../simulators/itslearning';
import { smallRoster, SOURCE } from '../../unit/roster/roster-fixture';

/** The school year after: class 7A and its course are gone, a new term replaces HT 2024. */
function withoutClass7A(): Roster {
  const r = smallRoster();
  return {
    ...r,
    groups: r.groups.filter((g) => g.sourcedId !== 'c-7a' && g.sourcedId !== 'k-ma7a'),
    memberships: r.memberships.filter((m) => m.groupId !== 'c-7a' && m.groupId !== 'k-ma7a'),
  };
}

/** Class 7A and its course are back, with a new participant (Bo) beside the old ones. */
function class7AReturns(): Roster {
  const r = smallRoster();
  return { ...r, memberships: [...r.memberships, { groupId: 'k-ma7a', personId: 'p-bo', role: 'Learner' }] };
}

describe('course and term archiving against the itslearning simulator', () => {
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
  });

  async function sync(source: Roster, runId: string, policy: PlanPolicy = { syncKeySource: SOURCE }) {
    const plan = planSync(source, await client.readSyncedState(), policy);
    for (const batch of batchPlan(plan, 4, { runId })) {
      const report = await client.importDocument(toImseDocument(batch), batch.idempotencyKey);
      expect(report.warnings).toEqual([]);
    }
    return plan;
  }
  const course = () => sim.state.findGroup({ source: SOURCE, id: 'k-ma7a' });
  const members = (groupId: number | undefined) =>
    [...sim.state.memberships.values()]
      .filter((m) => m.groupId === groupId)
      .map((m) => ({ person: sim.state.persons.get(m.personId)?.syncKey?.id, syncSource: m.syncSource }))
      .sort((a, b) => String(a.person).localeCompare(String(b.person)));
  const unarchiveByHand = (id: string) =>
    fetch(`${sim.url}/__admin/groups/unarchive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ syncKey: { source: SOURCE, id } }),
    });

  it('[IMSE-8] a course whose group left is archived and detached, never deleted; its participants become manual', async () => {
    await sync(smallRoster(), 'run-1');
    const before = course();
    expect(before).toMatchObject({ archived: false, detachedFromHierarchy: false });

    const plan = await sync(withoutClass7A(), 'run-2');
    expect(plan.operations.filter((o) => o.entityType === 'course')).toEqual([
      expect.objectContaining({ op: 'archive', record: expect.objectContaining({ sourcedId: 'k-ma7a' }) }),
    ]);
    expect(
      plan.operations.some((o) => o.entityType === 'membership' && operationKey(o).startsWith('k-ma7a')),
    ).toBe(false);
    expect(summarizePlan(plan).byType.course).toMatchObject({ delete: 0, archive: 1 });
    expect(plan.notes.join('\n')).toMatch(/1 course\(s\) whose group left the source are archived/);

    const after = course();
    expect(after).toMatchObject({
      id: before?.id,
      archived: true,
      detachedFromHierarchy: true,
      parentId: null,
    });
    expect(members(after?.id)).toEqual([
      { person: 'p-anna', syncSource: null },
      { person: 'p-dan', syncSource: null },
    ]);
    // The class itself is gone; the archived course is not touched again by later runs.
    expect(sim.state.findGroup({ source: SOURCE, id: 'c-7a' })).toBeUndefined();
    expect(
      planSync(withoutClass7A(), await client.readSyncedState(), { syncKeySource: SOURCE }).operations,
    ).toEqual([]);
  });

  it('[IMSE-8] an archived course whose group returns is attached again and synced with the new participants, and stays archived', async () => {
    await sync(smallRoster(), 'run-1');
    await sync(withoutClass7A(), 'run-2');
    const plan = await sync(class7AReturns(), 'run-3');
    expect(plan.notes.join('\n')).toMatch(/1 archived course\(s\) whose group returned .* stay archived/);
    expect(plan.skipped).toEqual(
      expect.arrayContaining([
        { entityType: 'membership', key: 'k-ma7a\u001fp-anna', reason: 'manual-in-target' },
      ]),
    );

    const after = course();
    const class7A = sim.state.findGroup({ source: SOURCE, id: 'c-7a' });
    expect(after).toMatchObject({ archived: true, detachedFromHierarchy: false, parentId: class7A?.id });
    // The old participants stay, now manual; the new one is synced.
    expect(members(after?.id)).toEqual([
      { person: 'p-anna', syncSource: null },
      { person: 'p-bo', syncSource: SOURCE },
      { person: 'p-dan', syncSource: null },
    ]);
    const again = planSync(class7AReturns(), await client.readSyncedState(), { syncKeySource: SOURCE });
    expect(again.operations).toEqual([]);
  });

  it('[IMSE-8] a course an operator un-archived by hand without its group returning stays as they left it', async () => {
    await sync(smallRoster(), 'run-1');
    await sync(withoutClass7A(), 'run-2');
    const res = await unarchiveByHand('k-ma7a');
    expect(res.status).toBe(200);
    expect(course()).toMatchObject({ archived: false, detachedFromHierarchy: true });

    const plan = await sync(withoutClass7A(), 'run-3');
    expect(
      plan.operations.filter((o) => o.entityType === 'course' || operationKey(o).startsWith('k-ma7a')),
    ).toEqual([]);
    expect(course()).toMatchObject({ archived: false, detachedFromHierarchy: true, parentId: null });
    expect(members(course()?.id)).toHaveLength(2);
    // Un-archiving a course that is not archived is refused.
    expect((await unarchiveByHand('k-ma7a')).status).toBe(409);
  });

  it('[IMSE-8] with course archiving off for the integration (and the site) a course that left is deleted', async () => {
    await sync(smallRoster(), 'run-1');
    await fetch(`${sim.url}/__admin/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ courseArchiving: false }),
    });
    const plan = await sync(withoutClass7A(), 'run-2', { syncKeySource: SOURCE, courseArchiving: false });
    expect(summarizePlan(plan).byType.course).toMatchObject({ delete: 1 });
    expect(course()).toBeUndefined();
  });

  it('[IMSE-9] a term the integration created is archived when it leaves the source at the change of school year', async () => {
    await sync(smallRoster(), 'run-1');
    const nextYear = withoutClass7A();
    nextYear.groups = [
      ...nextYear.groups.filter((g) => g.kind !== 'term'),
      { sourcedId: 't-ht25', kind: 'term', name: 'HT 2025', start: '2025-08-18', end: '2026-01-16' },
    ];
    const plan = await sync(nextYear, 'run-2');
    expect(
      plan.operations.filter((o) => o.entityType === 'term').map((o) => `${o.op} ${operationKey(o)}`),
    ).toEqual(['create t-ht25', 'archive t-ht24']);
    expect(plan.notes.join('\n')).toMatch(/Term archiving: 1 term\(s\) left the source and are archived/);
    expect(sim.state.findGroup({ source: SOURCE, id: 't-ht24' })).toMatchObject({
      type: 'Term',
      archived: true,
    });
    expect(sim.state.findGroup({ source: SOURCE, id: 't-ht25' })).toMatchObject({ archived: false });
    expect(planSync(nextYear, await client.readSyncedState(), { syncKeySource: SOURCE }).operations).toEqual(
      [],
    );
  });
});
