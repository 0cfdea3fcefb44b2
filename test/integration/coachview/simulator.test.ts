import { createHmac } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import { startCoachviewSimulator, type CoachviewSimulator } from '../../../simulators/coachview';
import { credentials, seed } from './fixtures';

const sign = (body: string, secret = credentials.pushSecret): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('Coachview simulator over HTTP', () => {
  let sim: CoachviewSimulator;
  let http: AxiosInstance;

  beforeAll(async () => {
    sim = await startCoachviewSimulator({ ...credentials, dailyRequestLimit: 5 });
    http = axios.create({ baseURL: sim.url, validateStatus: () => true });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    expect((await http.post('/__admin/reset')).status).toBe(204);
  });

  async function token(): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...clientForm() });
    const res = await http.post('/oauth/token', form.toString(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    return (res.data as { access_token: string }).access_token;
  }

  const clientForm = () => ({ client_id: credentials.clientId, client_secret: credentials.clientSecret });

  const postPush = (body: string, signature = sign(body)) =>
    http.post('/elearning/results', body, {
      headers: { 'content-type': 'application/json', 'x-coachview-signature': signature },
      transformRequest: [(d: unknown) => d],
    });

  it('seeds, adds and shows state through the admin endpoints', async () => {
    expect((await http.post('/__admin/seed', seed)).status).toBe(200);
    const person = { id: '1003', firstName: 'Cor', lastName: 'Bakker', email: 'cor@example.test' };
    expect((await http.post('/__admin/persons', person)).status).toBe(201);
    const added = await http.post('/__admin/enrolments', {
      personId: '1003',
      trainingId: 'T-2',
      elearningCourseId: 'c-9',
    });
    expect(added.status).toBe(201);
    expect(added.data).toMatchObject({ personId: '1003', presence: false, locked: false });
    expect(added.data).not.toHaveProperty('result');

    const state = (await http.get('/__admin/state')).data as { persons: unknown[]; enrolments: unknown[] };
    expect(state.persons).toHaveLength(3);
    expect(state.enrolments).toHaveLength(3);
  });

  it('refuses seed data that does not fit', async () => {
    expect((await http.post('/__admin/persons', { id: '9' })).status).toBe(400);
    const orphan = await http.post('/__admin/enrolments', {
      personId: 'nobody',
      trainingId: 'T',
      elearningCourseId: 'c',
    });
    expect(orphan.status).toBe(409);
  });

  it('[CV-2] processes a correctly signed push and logs it', async () => {
    sim.seed(seed);
    const body = JSON.stringify({
      personId: '1001',
      courseId: 'course-7',
      grade: '6',
      passed: false,
      completionDate: '2026-02-01',
    });
    const res = await postPush(body);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ status: 'processed', componentId: 'ec-1' });
    expect(sim.state().enrolments[0]).toMatchObject({
      result: '6',
      presence: true,
      passed: false,
      locked: true,
    });
    const log = (await http.get('/__admin/pushes')).data as unknown[];
    expect(log).toEqual([
      expect.objectContaining({ status: 200, outcome: 'processed', componentId: 'ec-1' }),
    ]);
  });

  it('answers 403 to a missing or wrong signature, before reading the body', async () => {
    sim.seed(seed);
    const body = JSON.stringify({
      personId: '1001',
      courseId: 'course-7',
      grade: '6',
      passed: true,
      completionDate: '2026-02-01',
    });
    expect((await postPush(body, sign(body, 'other-secret'))).status).toBe(403);
    expect((await postPush(body, '')).status).toBe(403);
    expect((await postPush('not json', sign('something else'))).status).toBe(403);
    expect(sim.state().enrolments[0]?.result).toBeUndefined();
  });

  it('answers 400 to a signed push that is not a result', async () => {
    expect((await postPush('not json')).status).toBe(400);
    expect((await postPush(JSON.stringify({ personId: '1001', courseId: 'course-7' }))).status).toBe(400);
    expect(sim.pushLog().map((p) => p.outcome)).toEqual(['malformed', 'malformed']);
  });

  it('[CV-4] answers 404 alike for an unknown learner and an already completed component', async () => {
    sim.seed(seed);
    const unknown = await postPush(
      JSON.stringify({
        personId: 'x',
        courseId: 'course-7',
        grade: '6',
        passed: true,
        completionDate: '2026-02-01',
      }),
    );
    const completed = await postPush(
      JSON.stringify({
        personId: '1002',
        courseId: 'course-7',
        grade: '6',
        passed: true,
        completionDate: '2026-02-01',
      }),
    );
    expect([unknown.status, completed.status]).toEqual([404, 404]);
    expect(unknown.data).toEqual(completed.data);
  });

  it('refuses the API without a valid token and the token endpoint with wrong credentials', async () => {
    expect((await http.get('/api/v1/persons', { params: { id: '1001' } })).status).toBe(401);
    const bad = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' });
    const res = await http.post('/oauth/token', bad.toString(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(401);
    const grant = new URLSearchParams({ grant_type: 'password', ...clientForm() });
    const wrongGrant = await http.post('/oauth/token', grant.toString(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongGrant.status).toBe(400);
  });

  it('sends rate-limit headers and answers 429 once the daily limit is spent', async () => {
    sim.seed(seed);
    const auth = { Authorization: `Bearer ${await token()}` };
    const first = await http.get('/api/v1/persons', { params: { id: '1001' }, headers: auth });
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('5');
    expect(first.headers['x-ratelimit-remaining']).toBe('4');
    for (let i = 0; i < 4; i++)
      await http.get('/api/v1/persons', { params: { externalId: 'moodle-42' }, headers: auth });

    const limited = await http.get('/api/v1/persons', { params: { id: '1001' }, headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    const reset = Number(limited.headers['x-ratelimit-reset']);
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(Number(limited.headers['retry-after'])).toBeCloseTo(reset - Date.now() / 1000, -1);
  });

  it('lists persons and e-learning components in the documented shape', async () => {
    sim.seed(seed);
    const auth = { Authorization: `Bearer ${await token()}` };
    const persons = await http.get('/api/v1/persons', { params: { externalId: 'moodle-42' }, headers: auth });
    expect(persons.data).toEqual({
      items: [
        {
          id: '1001',
          externalId: 'moodle-42',
          firstName: 'Anna',
          lastName: 'de Vries',
          email: 'anna@example.test',
        },
      ],
      total: 1,
    });
    const components = await http.get('/api/v1/elearning-components', {
      params: { personId: '1002', courseId: 'course-7' },
      headers: auth,
    });
    expect(components.data).toEqual({
      items: [
        {
          id: 'ec-2',
          personId: '1002',
          trainingId: 'T-1',
          elearningCourseId: 'course-7',
          result: '7.5',
          presence: true,
          passed: true,
          locked: true,
          trainingRequestComponent: {
            id: expect.any(String),
            completed: true,
            approved: true,
            approvalDate: '2026-01-10',
          },
        },
      ],
      total: 1,
    });
    expect(
      (await http.get('/api/v1/persons', { params: { id: '1', externalId: '2' }, headers: auth })).status,
    ).toBe(400);
  });

  it('sets and reads fault switches through the admin endpoint', async () => {
    const set = await http.post('/__admin/faults', { failNext: { count: 2, status: 500, on: 'push' } });
    expect(set.data).toMatchObject({ failNext: { count: 2, status: 500, on: 'push' }, rateLimitNext: null });
    expect((await postPush('{}')).status).toBe(500);
    expect((await postPush('{}')).status).toBe(500);
    expect((await postPush('{}')).status).toBe(400);
    expect((await http.post('/__admin/faults', { failNext: { count: 1, status: 418 } })).status).toBe(400);
  });
});
