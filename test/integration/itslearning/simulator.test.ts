import { startItslearningSimulator, type ItslearningSimulator } from '../../../simulators/itslearning';

const SOURCE = 'procapita-test';
const doc = (body: string) =>
  `<?xml version="1.0"?><enterprise><properties><datasource>${SOURCE}</datasource><datetime>2024-06-20T18:00:00Z</datetime></properties>${body}</enterprise>`;
const person = (id: string, recstatus: number, given = 'Anna') =>
  `<person recstatus="${recstatus}"><sourcedid><source>${SOURCE}</source><id>${id}</id></sourcedid><name><fn>${given} A</fn><n><family>A</family><given>${given}</given></n></name></person>`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw HTTP answers are inspected loosely here
const json = async (res: Response): Promise<any> => res.json();

describe('itslearning simulator', () => {
  let sim: ItslearningSimulator;
  beforeAll(async () => {
    sim = await startItslearningSimulator({ syncKeySource: SOURCE });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await fetch(`${sim.url}/__admin/reset`, { method: 'POST' });
  });

  const post = (xml: string, key?: string) =>
    fetch(`${sim.url}/imse/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', ...(key ? { 'idempotency-key': key } : {}) },
      body: xml,
    });

  it('applies recstatus 1, 2 and 3, treats a repeated add as an update and an unknown delete as a warning', async () => {
    expect(await json(await post(doc(person('p1', 1))))).toMatchObject({
      persons: { created: 1, updated: 0, deleted: 0 },
    });
    expect(await json(await post(doc(person('p1', 1, 'Anne'))))).toMatchObject({
      persons: { created: 0, updated: 1 },
    });
    expect(await json(await post(doc(person('p1', 2, 'Anne'))))).toMatchObject({
      persons: { unchanged: 1 },
    });
    const deleted = await json(await post(doc(person('p1', 3) + person('p9', 3))));
    expect(deleted).toMatchObject({
      persons: { deleted: 1 },
      warnings: ['person p9: delete of an unknown person ignored'],
    });
    expect(sim.state.persons.size).toBe(0);
  });

  it('answers 400 with the reasons for an invalid document, and applies nothing', async () => {
    const broken = await post('<enterprise><person>');
    expect(broken.status).toBe(400);
    expect((await json(broken)).problems[0]).toMatch(/not well-formed/);
    const noName = await post(
      doc(`<person><sourcedid><source>${SOURCE}</source><id>p1</id></sourcedid></person>`),
    );
    expect(noName.status).toBe(400);
    expect((await json(noName)).problems.join()).toMatch(/person\.0\.name/);
    const foreign = await post(
      doc(person('p1', 1).replace(`<source>${SOURCE}</source>`, '<source>other</source>')),
    );
    expect(foreign.status).toBe(400);
    expect(sim.state.persons.size).toBe(0);
  });

  it('applies a document once per idempotency key and refuses the key for another document', async () => {
    const first = await json(await post(doc(person('p1', 1)), 'k-1'));
    const again = await json(await post(doc(person('p1', 1)), 'k-1'));
    expect(again).toEqual(first);
    expect((await post(doc(person('p2', 1)), 'k-1')).status).toBe(409);
    const log = await json(await fetch(`${sim.url}/__admin/imports`));
    expect(log.map((e: { outcome: string }) => e.outcome)).toEqual(['applied', 'replayed', 'rejected']);
  });

  it('[IMSE-2] an import cannot reach an entity made by hand, even one with the same name', async () => {
    await fetch(`${sim.url}/__admin/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        persons: [{ ref: 'admin', firstName: 'Anna', lastName: 'A', institutionRoles: ['Administrator'] }],
      }),
    });
    const report = await json(await post(doc(person('admin', 3))));
    expect(report.persons.deleted).toBe(0);
    expect([...sim.state.persons.values()]).toEqual([
      expect.objectContaining({ firstName: 'Anna', syncKey: null }),
    ]);
  });

  it('pages its state and filters by sync key source', async () => {
    await post(doc(person('p1', 1) + person('p2', 1) + person('p3', 1)));
    await fetch(`${sim.url}/__admin/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persons: [{ firstName: 'Ada', lastName: 'Admin' }] }),
    });
    const page = await json(await fetch(`${sim.url}/api/persons?source=${SOURCE}&limit=2`));
    expect(page).toMatchObject({ total: 3, nextOffset: 2 });
    const rest = await json(await fetch(`${sim.url}/api/persons?source=${SOURCE}&limit=2&offset=2`));
    expect(rest.items.map((p: { syncKey: { id: string } }) => p.syncKey.id)).toEqual(['p3']);
    expect((await json(await fetch(`${sim.url}/api/persons`))).total).toBe(4);
  });
});
