import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure, CancelledFailure, type Logger } from '@temporalio/common';
import { createMoodlePollActivities } from '../../../activities/moodle-poll';
import { createMoodleClient } from '../../../adapters/moodle';
import { TransientError } from '../../../platform/errors';
import { Secret } from '../../../platform/secret';
import { startMoodleSimulator, type MoodleSimulator } from '../../../simulators/moodle';
import { fakeGradeReturnStarter } from './fakes';

const TOKEN = 'moodle-test-token-1234';
const DAY_S = 24 * 60 * 60;
const now = Math.floor(Date.now() / 1000);
const silent: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('pollMoodleCompletions activity', () => {
  let moodle: MoodleSimulator;

  beforeAll(async () => {
    moodle = await startMoodleSimulator({ token: TOKEN });
    moodle.state.seed({
      courses: [{ id: 30, shortname: 'VW', fullname: 'Veilig werken' }],
      users: [
        {
          id: 301,
          username: 'anna',
          firstname: 'Anna',
          lastname: 'A',
          email: 'a@example.org',
          idnumber: 'CV-1001',
        },
        {
          id: 302,
          username: 'bram',
          firstname: 'Bram',
          lastname: 'B',
          email: 'b@example.org',
          idnumber: 'CV-1002',
        },
        {
          id: 303,
          username: 'cees',
          firstname: 'Cees',
          lastname: 'C',
          email: 'c@example.org',
          idnumber: 'CV-1003',
        },
      ],
      enrolments: [301, 302, 303].map((userid) => ({ courseid: 30, userid })),
      completions: [
        { courseid: 30, userid: 301, grade: 7, timecompleted: now - DAY_S },
        { courseid: 30, userid: 302, grade: 8, timecompleted: now - 3 * DAY_S },
      ],
    });
  });
  afterEach(() => moodle.faults.reset());
  afterAll(() => moodle.close());

  const activities = (starter: ReturnType<typeof fakeGradeReturnStarter>) =>
    createMoodlePollActivities({
      moodle: createMoodleClient({ baseUrl: moodle.url, token: new Secret(TOKEN), timeoutMs: 2000 }),
      startGradeReturn: starter.start,
    });

  it('[CV-1] [PLAT-8] starts one grade return per completion and reports repeats of the window as duplicates', async () => {
    const starter = fakeGradeReturnStarter();
    const { pollMoodleCompletions } = activities(starter);
    const env = new MockActivityEnvironment(undefined, { logger: silent });
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => heartbeats.push(d));

    await expect(env.run(pollMoodleCompletions, { lookbackDays: 7 })).resolves.toMatchObject({
      found: 2,
      started: 2,
      duplicates: 0,
    });
    expect([...starter.started.values()].map((c) => [c.learnerId, c.grade]).sort()).toEqual([
      ['CV-1001', '7.00'],
      ['CV-1002', '8.00'],
    ]);

    moodle.state.complete({ courseid: 30, userid: 303, grade: 5.5, timecompleted: now - 60 });
    await expect(env.run(pollMoodleCompletions, { lookbackDays: 7 })).resolves.toMatchObject({
      found: 3,
      started: 1,
      duplicates: 2,
    });
    expect(starter.started.size).toBe(3);

    expect(heartbeats.at(-1)).toMatchObject({
      phase: 'scanning',
      coursesDone: 1,
      coursesTotal: 1,
      found: 3,
      started: 1,
      duplicates: 2,
    });
  });

  it('honours the lookback window', async () => {
    const starter = fakeGradeReturnStarter();
    const env = new MockActivityEnvironment(undefined, { logger: silent });
    await expect(
      env.run(activities(starter).pollMoodleCompletions, { lookbackDays: 2 }),
    ).resolves.toMatchObject({
      found: 2,
    });
    expect(starter.calls.map((c) => c.learnerId).sort()).toEqual(['CV-1001', 'CV-1003']);
  });

  it('[PLAT-5] refuses bad input with a non-retryable failure that says what is wrong', async () => {
    const env = new MockActivityEnvironment(undefined, { logger: silent });
    const err = await env
      .run(activities(fakeGradeReturnStarter()).pollMoodleCompletions, { lookbackDays: 0 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect((err as Error).message).toContain('lookbackDays');
  });

  it('lets a Moodle outage fail the attempt as transient, so Temporal retries it', async () => {
    moodle.faults.set({ failNext: 10 });
    const starter = fakeGradeReturnStarter();
    const env = new MockActivityEnvironment(undefined, { logger: silent });
    await expect(
      env.run(activities(starter).pollMoodleCompletions, { lookbackDays: 7 }),
    ).rejects.toBeInstanceOf(TransientError);
    expect(starter.calls).toHaveLength(0);
  });

  it('stops when the activity is cancelled', async () => {
    moodle.faults.set({ latencyMs: 50 });
    const env = new MockActivityEnvironment(undefined, { logger: silent });
    const running = env.run(activities(fakeGradeReturnStarter()).pollMoodleCompletions, { lookbackDays: 7 });
    setTimeout(() => env.cancel(), 20);
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
  });
});
