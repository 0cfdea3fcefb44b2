import { RejectedError, SchemaError, TransientError } from '../../../platform/errors';
import { startCoachviewSimulator, type CoachviewSimulator } from '../../../simulators/coachview';
import { clientFor, credentials, rejectionOf, seed } from './fixtures';

const push = {
  personId: '1001',
  courseId: 'course-7',
  grade: '8.5',
  completionDate: '2026-03-14',
  passed: true,
};

describe('Coachview client against the simulator', () => {
  let sim: CoachviewSimulator;

  beforeAll(async () => {
    sim = await startCoachviewSimulator({ port: 0, ...credentials });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.reset();
    sim.seed(seed);
  });

  describe('findElearningRegistration', () => {
    it('[CV-5] matches the learner on the Coachview person id', async () => {
      const lookup = await clientFor(sim).findElearningRegistration({
        learnerId: '1001',
        courseId: 'course-7',
      });
      expect(lookup).toEqual({ kind: 'open', personId: '1001', componentId: 'ec-1' });
    });

    it('[CV-5] matches the learner on the external id when no person has that id', async () => {
      const lookup = await clientFor(sim).findElearningRegistration({
        learnerId: 'moodle-42',
        courseId: 'course-7',
      });
      expect(lookup).toEqual({ kind: 'open', personId: '1001', componentId: 'ec-1' });
    });

    it('[CV-4] reports a learner Coachview does not know', async () => {
      const lookup = await clientFor(sim).findElearningRegistration({
        learnerId: 'nobody',
        courseId: 'course-7',
      });
      expect(lookup).toEqual({ kind: 'person-not-found' });
    });

    it('[CV-4] reports a course that is on none of the learner’s e-learning components', async () => {
      const lookup = await clientFor(sim).findElearningRegistration({
        learnerId: '1001',
        courseId: 'course-8',
      });
      expect(lookup).toEqual({ kind: 'component-not-found', personId: '1001' });
    });

    it('[CV-5] refuses a learner id that is one person’s id and another person’s external id', async () => {
      sim.seed({
        persons: [{ id: 'moodle-42x', firstName: 'Cas', lastName: 'Smit', email: 'cas@example.test' }],
        enrolments: [{ personId: 'moodle-42x', trainingId: 'T-1', elearningCourseId: 'course-7' }],
      });
      sim.seed({
        persons: [
          {
            id: '1003',
            externalId: 'moodle-42x',
            firstName: 'Dirk',
            lastName: 'Bos',
            email: 'dirk@example.test',
          },
        ],
        enrolments: [{ personId: '1003', trainingId: 'T-1', elearningCourseId: 'course-7' }],
      });
      const lookup = await clientFor(sim).findElearningRegistration({
        learnerId: 'moodle-42x',
        courseId: 'course-7',
      });
      expect(lookup).toEqual({ kind: 'person-ambiguous', matches: 2 });
    });

    it('[CV-7] with two open components, reports the one that already carries this grade return’s result', async () => {
      sim.seed({
        enrolments: [
          { componentId: 'ec-9', personId: '1001', trainingId: 'T-2', elearningCourseId: 'course-7' },
        ],
      });
      const client = clientFor(sim);
      await client.pushResult(push); // Coachview fills the oldest open component, ec-1
      const own = { result: '8.5', approvalDates: ['2026-03-14'] };
      await expect(
        client.findElearningRegistration({ learnerId: '1001', courseId: 'course-7', ownResult: own }),
      ).resolves.toEqual({
        kind: 'registered',
        personId: '1001',
        componentId: 'ec-1',
        result: '8.5',
        approvalDate: '2026-03-14',
      });
      await expect(
        client.findElearningRegistration({ learnerId: '1001', courseId: 'course-7' }),
      ).resolves.toMatchObject({ kind: 'open', componentId: 'ec-9' });
    });

    it('[CV-3] tells a component that already holds a result from an open one', async () => {
      const lookup = await clientFor(sim).findElearningRegistration({
        learnerId: '1002',
        courseId: 'course-7',
      });
      expect(lookup).toEqual({
        kind: 'registered',
        personId: '1002',
        componentId: 'ec-2',
        result: '7.5',
        approvalDate: '2026-01-10',
      });
    });
  });

  it('an invalid lookup is refused before anything is sent', async () => {
    const err = await rejectionOf(
      clientFor(sim).findElearningRegistration({ learnerId: ' ', courseId: 'course-7' }),
    );
    expect(err).toMatchObject({ reason: 'InvalidInput', retryable: false });
    expect(sim.usage().tokenRequests).toBe(0);
  });

  describe('pushResult', () => {
    it('[CV-2] a processed push stores the grade, locks presence and pass, and completes and approves the request', async () => {
      await expect(clientFor(sim).pushResult(push)).resolves.toEqual({ kind: 'processed' });

      const component = sim.state().enrolments.find((e) => e.componentId === 'ec-1');
      expect(component).toMatchObject({
        result: '8.5',
        presence: true,
        passed: true,
        locked: true,
        trainingRequestComponent: { id: 'tr-1', completed: true, approved: true, approvalDate: '2026-03-14' },
      });
      const lookup = await clientFor(sim).findElearningRegistration({
        learnerId: '1001',
        courseId: 'course-7',
      });
      expect(lookup).toMatchObject({ kind: 'registered', result: '8.5', approvalDate: '2026-03-14' });
    });

    it('[CV-5] a push addressed by external id reaches the same component', async () => {
      await expect(clientFor(sim).pushResult({ ...push, personId: 'moodle-42' })).resolves.toEqual({
        kind: 'processed',
      });
      expect(sim.pushLog().map((p) => p.componentId)).toEqual(['ec-1']);
    });

    it('[CV-3] a later attempt’s grade is not registered again and changes nothing', async () => {
      const client = clientFor(sim);
      await client.pushResult(push);
      const before = sim.state();

      const second = await client.pushResult({ ...push, grade: '9.5', completionDate: '2026-04-01' });

      expect(second).toEqual({ kind: 'not-processed' });
      expect(sim.state()).toEqual(before);
      expect(sim.pushLog().map((p) => [p.status, p.outcome])).toEqual([
        [200, 'processed'],
        [404, 'already-completed'],
      ]);
    });

    it('[CV-4] a push for a learner or course Coachview does not know is not processed', async () => {
      const before = sim.state();
      const client = clientFor(sim);
      await expect(client.pushResult({ ...push, personId: 'nobody' })).resolves.toEqual({
        kind: 'not-processed',
      });
      await expect(client.pushResult({ ...push, courseId: 'course-8' })).resolves.toEqual({
        kind: 'not-processed',
      });
      expect(sim.state()).toEqual(before);
      expect(sim.pushLog().map((p) => p.outcome)).toEqual(['person-not-recognized', 'course-not-recognized']);
    });

    it('a push signed with the wrong secret is rejected as Forbidden and changes nothing', async () => {
      const before = sim.state();
      const err = await rejectionOf(clientFor(sim, { pushSecret: 'not-the-secret' }).pushResult(push));
      expect(err).toBeInstanceOf(RejectedError);
      expect(err).toMatchObject({ status: 403, reason: 'Forbidden', type: 'Coachview.Forbidden' });
      expect(sim.state()).toEqual(before);
    });

    it('an invalid push is refused before it is sent', async () => {
      const err = await rejectionOf(clientFor(sim).pushResult({ ...push, completionDate: '14-03-2026' }));
      expect(err).toMatchObject({ reason: 'InvalidInput', retryable: false });
      expect(sim.pushLog()).toHaveLength(0);
    });

    it('[CV-4] a 503 is a transient error and nothing is processed', async () => {
      sim.faults({ failNext: { count: 1, status: 503, on: 'push' } });
      const err = await rejectionOf(clientFor(sim).pushResult(push));
      expect(err).toBeInstanceOf(TransientError);
      expect(err).toMatchObject({ status: 503, retryable: true });
      expect(sim.state().enrolments.find((e) => e.componentId === 'ec-1')?.result).toBeUndefined();
      await expect(clientFor(sim).pushResult(push)).resolves.toEqual({ kind: 'processed' });
    });

    it('[PLAT-8] a push processed but answered 500 reads back as registered, and its retry is not registered twice', async () => {
      sim.faults({ failNext: { count: 1, status: 500, on: 'push', afterProcessing: true } });
      const client = clientFor(sim);
      await expect(client.pushResult(push)).rejects.toBeInstanceOf(TransientError);
      await expect(client.pushResult(push)).resolves.toEqual({ kind: 'not-processed' });
      const lookup = await client.findElearningRegistration({ learnerId: '1001', courseId: 'course-7' });
      expect(lookup).toMatchObject({ kind: 'registered', result: '8.5' });
      expect(sim.pushLog().filter((p) => p.componentId === 'ec-1')).toHaveLength(1);
    });

    it('[CV-4] a 429 is a transient error carrying Retry-After', async () => {
      sim.faults({ rateLimitNext: { count: 1, retryAfterSeconds: 30, on: 'push' } });
      const err = await rejectionOf(clientFor(sim).pushResult(push));
      expect(err).toBeInstanceOf(TransientError);
      expect(err).toMatchObject({ status: 429, retryAfterMs: 30_000 });
    });

    it('a malformed 200 answer is a schema error', async () => {
      sim.faults({ malformedNext: { count: 1, on: 'push' } });
      await expect(clientFor(sim).pushResult(push)).rejects.toBeInstanceOf(SchemaError);
    });

    it('[CV-4] a push that times out is a transient error', async () => {
      sim.faults({ latencyMs: 300 });
      const err = await rejectionOf(clientFor(sim, { timeoutMs: 100 }).pushResult(push));
      expect(err).toBeInstanceOf(TransientError);
      expect(err).toMatchObject({ status: undefined });
    });
  });

  describe('REST API', () => {
    it('a 503 from the API is a transient error', async () => {
      sim.faults({ failNext: { count: 1, status: 503, on: 'api' } });
      const err = await rejectionOf(
        clientFor(sim).findElearningRegistration({ learnerId: '1001', courseId: 'course-7' }),
      );
      expect(err).toBeInstanceOf(TransientError);
      expect(err).toMatchObject({ status: 503 });
    });

    it('a 429 from the API is a transient error carrying Retry-After', async () => {
      sim.faults({ rateLimitNext: { count: 1, retryAfterSeconds: 12, on: 'api' } });
      const err = await rejectionOf(
        clientFor(sim).findElearningRegistration({ learnerId: '1001', courseId: 'course-7' }),
      );
      expect(err).toBeInstanceOf(TransientError);
      expect(err).toMatchObject({ status: 429, retryAfterMs: 12_000 });
    });

    it('a malformed API answer is a schema error', async () => {
      sim.faults({ malformedNext: { count: 1, on: 'api' } });
      const lookup = clientFor(sim).findElearningRegistration({ learnerId: '1001', courseId: 'course-7' });
      await expect(lookup).rejects.toBeInstanceOf(SchemaError);
    });

    it('one token serves several calls', async () => {
      const client = clientFor(sim);
      await client.findElearningRegistration({ learnerId: '1001', courseId: 'course-7' });
      await client.findElearningRegistration({ learnerId: 'moodle-42', courseId: 'course-7' });
      await client.findElearningRegistration({ learnerId: '1002', courseId: 'course-7' });
      const usage = sim.usage();
      expect(usage.tokenRequests).toBe(1);
      expect(usage.apiRequestsToday[credentials.clientId]).toBe(9);
    });

    it('concurrent first calls share one token request', async () => {
      const client = clientFor(sim);
      await Promise.all(
        ['1001', '1002', 'moodle-42'].map((learnerId) =>
          client.findElearningRegistration({ learnerId, courseId: 'course-7' }),
        ),
      );
      expect(sim.usage().tokenRequests).toBe(1);
    });

    it('a token Coachview no longer accepts is renewed once', async () => {
      const client = clientFor(sim);
      await client.findElearningRegistration({ learnerId: '1001', courseId: 'course-7' });
      sim.reset(); // forgets every token it issued
      sim.seed(seed);
      const lookup = await client.findElearningRegistration({ learnerId: '1001', courseId: 'course-7' });
      expect(lookup).toMatchObject({ kind: 'open' });
      expect(sim.usage().tokenRequests).toBe(1);
    });

    it('wrong client credentials are rejected as Unauthorized', async () => {
      const client = clientFor(sim, { clientSecret: 'wrong' });
      const err = await rejectionOf(
        client.findElearningRegistration({ learnerId: '1001', courseId: 'course-7' }),
      );
      expect(err).toBeInstanceOf(RejectedError);
      expect(err).toMatchObject({ status: 401, reason: 'Unauthorized' });
    });
  });
});

describe('Coachview client and short-lived tokens', () => {
  let sim: CoachviewSimulator;
  beforeAll(async () => {
    sim = await startCoachviewSimulator({ ...credentials, tokenTtlSeconds: 1 });
    sim.seed(seed);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('renews the token before it expires', async () => {
    const client = clientFor(sim);
    await client.findElearningRegistration({ learnerId: '1001', courseId: 'course-7' });
    await client.findElearningRegistration({ learnerId: '1001', courseId: 'course-7' });
    expect(sim.usage().tokenRequests).toBe(1);
    await new Promise((r) => setTimeout(r, 600));
    await client.findElearningRegistration({ learnerId: '1001', courseId: 'course-7' });
    expect(sim.usage().tokenRequests).toBe(2);
  });
});

describe('Coachview daily request limit', () => {
  let sim: CoachviewSimulator;
  beforeAll(async () => {
    sim = await startCoachviewSimulator({ ...credentials, dailyRequestLimit: 3 });
    sim.seed(seed);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('answers 429 once the day’s requests are spent, with the time until the quota resets', async () => {
    const client = clientFor(sim);
    await client.findElearningRegistration({ learnerId: '1001', courseId: 'course-7' }); // 3 requests
    const err = await rejectionOf(
      client.findElearningRegistration({ learnerId: 'moodle-42', courseId: 'course-7' }),
    );
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ status: 429 });
    const { retryAfterMs } = err as TransientError;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(24 * 3600 * 1000);
    expect(sim.usage().apiRequestsToday[credentials.clientId]).toBe(3);
  });
});
