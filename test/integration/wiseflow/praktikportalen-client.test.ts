/** The Praktikportalen client against the Praktikportalen simulator over HTTP (an assumed API). */
import { createPraktikportalenClient, type PraktikportalenClient } from '../../../adapters/praktikportalen';
import { RejectedError, SchemaError, TransientError } from '../../../platform/errors';
import { Secret } from '../../../platform/secret';
import {
  startPraktikportalenSimulator,
  type PraktikportalenSimulator,
} from '../../../simulators/praktikportalen';

const PERIOD = 'PP-2027-04';
const person = (id: string, first: string) => ({
  praktikportalenId: id,
  firstName: first,
  lastName: 'Hansen',
  email: `${first.toLowerCase()}@praktik.example.dk`,
});

let sim: PraktikportalenSimulator;
let client: PraktikportalenClient;

async function failureOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  sim = await startPraktikportalenSimulator();
  client = createPraktikportalenClient({
    baseUrl: `${sim.url}/api/v1`,
    apiKey: new Secret('local-praktikportalen-key'),
    timeoutMs: 2000,
  });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.state.reset();
  sim.faults.reset();
  sim.state.seed({
    periods: [
      {
        periodNumber: PERIOD,
        title: 'Praktikperiode 4',
        startDate: '2027-02-01',
        endDate: '2027-04-30',
        students: [person('pp-stud-1', 'Emma')],
        supervisors: [person('pp-sup-1', 'Mette'), person('pp-sup-2', 'Lars')],
      },
    ],
  });
});

it('[WF-3] reads a period by its number with students and supervisors; an unknown number is undefined', async () => {
  const period = await client.getPeriod(PERIOD);
  expect(period).toMatchObject({ periodNumber: PERIOD, startDate: '2027-02-01', endDate: '2027-04-30' });
  expect(period?.supervisors.map((s) => s.praktikportalenId)).toEqual(['pp-sup-1', 'pp-sup-2']);
  expect(period?.students).toHaveLength(1);
  expect(await client.getPeriod('PP-0000')).toBeUndefined();
});

it('[WF-6] changes made in Praktikportalen between reads show at the next read', async () => {
  sim.state.replaceSupervisor(PERIOD, 'pp-sup-1', person('pp-sup-3', 'Sofie'));
  sim.state.updateSupervisor(PERIOD, 'pp-sup-2', { email: 'lars.hansen@praktik.example.dk' });
  const period = await client.getPeriod(PERIOD);
  expect(period?.supervisors).toEqual([
    { ...person('pp-sup-2', 'Lars'), email: 'lars.hansen@praktik.example.dk' },
    person('pp-sup-3', 'Sofie'),
  ]);
});

it('[WF-2] a published link is shown to its supervisor; a new one replaces it; the same one again changes nothing', async () => {
  await client.publishAccessLink({
    periodNumber: PERIOD,
    praktikportalenId: 'pp-sup-1',
    url: 'http://wf.test/access/a',
    expires: 2_000_000_000,
  });
  await client.publishAccessLink({
    periodNumber: PERIOD,
    praktikportalenId: 'pp-sup-1',
    url: 'http://wf.test/access/b',
    expires: 2_000_000_000,
  });
  await client.publishAccessLink({
    periodNumber: PERIOD,
    praktikportalenId: 'pp-sup-1',
    url: 'http://wf.test/access/b',
    expires: 2_000_000_000,
  });
  const links = (await (await fetch(`${sim.url}/__admin/periods/${PERIOD}/links`)).json()) as unknown[];
  expect(links).toEqual([
    expect.objectContaining({ praktikportalenId: 'pp-sup-1', url: 'http://wf.test/access/b', replaced: 1 }),
  ]);
  expect(sim.state.publishLog.map((p) => p.changed)).toEqual([true, true, false]);
  const page = await (await fetch(`${sim.url}/periods/${PERIOD}`)).text();
  expect(page).toContain('href="http://wf.test/access/b"');
});

it('[WF-2] a link for someone who is not a supervisor of the period is refused', async () => {
  const err = await failureOf(
    client.publishAccessLink({
      periodNumber: PERIOD,
      praktikportalenId: 'pp-stud-1',
      url: 'http://wf.test/access/a',
      expires: 2_000_000_000,
    }),
  );
  expect(err).toMatchObject({ status: 404 });
  expect(err).toBeInstanceOf(RejectedError);
});

it('a wrong API key is refused; 5xx and 429 are transient; a malformed answer is a schema error', async () => {
  const wrong = createPraktikportalenClient({ baseUrl: `${sim.url}/api/v1`, apiKey: new Secret('nope') });
  expect(await failureOf(wrong.getPeriod(PERIOD))).toMatchObject({ status: 401 });
  sim.faults.set({ failNext: 1 });
  expect(await failureOf(client.getPeriod(PERIOD))).toBeInstanceOf(TransientError);
  sim.faults.set({ rateLimitNext: 1, retryAfterSeconds: 7 });
  expect(await failureOf(client.getPeriod(PERIOD))).toMatchObject({ status: 429, retryAfterMs: 7000 });
  sim.faults.set({ malformedNext: 1 });
  expect(await failureOf(client.getPeriod(PERIOD))).toBeInstanceOf(SchemaError);
});
