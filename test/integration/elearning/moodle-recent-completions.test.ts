import {
  createMoodleClient,
  listRecentCompletions,
  type MoodleClient,
  type SkippedCompletion,
} from '../../../adapters/moodle';
import { TransientError } from '../../../platform/errors';
import { Secret } from '../../../platform/secret';
import { startMoodleSimulator, type MoodleSimulator } from '../../../simulators/moodle';

const TOKEN = 'moodle-test-token-1234';
const DAY_S = 24 * 60 * 60;
const now = Math.floor(Date.now() / 1000);

describe('listRecentCompletions against the Moodle simulator', () => {
  let moodle: MoodleSimulator;
  let client: MoodleClient;

  beforeAll(async () => {
    moodle = await startMoodleSimulator({ token: TOKEN });
    client = createMoodleClient({ baseUrl: moodle.url, token: new Secret(TOKEN), timeoutMs: 2000 });
    moodle.state.seed({
      courses: [
        { id: 20, shortname: 'VW', fullname: 'Veilig werken' },
        { id: 21, shortname: 'NOTRACK', fullname: 'No completion', enablecompletion: false },
        { id: 22, shortname: 'NOCRIT', fullname: 'No criteria', criteria: [] },
      ],
      users: [
        {
          id: 201,
          username: 'anna',
          firstname: 'Anna',
          lastname: 'A',
          email: 'a@example.org',
          idnumber: 'CV-1001',
        },
        { id: 202, username: 'bram', firstname: 'Bram', lastname: 'B', email: 'b@example.org' },
        {
          id: 203,
          username: 'cees',
          firstname: 'Cees',
          lastname: 'C',
          email: 'c@example.org',
          idnumber: 'CV-1003',
        },
        {
          id: 204,
          username: 'dirk',
          firstname: 'Dirk',
          lastname: 'D',
          email: 'd@example.org',
          idnumber: 'CV-1004',
        },
        {
          id: 205,
          username: 'eva',
          firstname: 'Eva',
          lastname: 'E',
          email: 'e@example.org',
          idnumber: 'CV-1005',
        },
      ],
      enrolments: [201, 202, 203, 204, 205]
        .map((userid) => ({ courseid: 20, userid }))
        .concat([
          { courseid: 21, userid: 201 },
          { courseid: 22, userid: 201 },
        ]),
      completions: [
        { courseid: 20, userid: 201, grade: 8.5, timecompleted: now - 2 * DAY_S },
        { courseid: 20, userid: 202, grade: 6, timecompleted: now - 1 * DAY_S },
        { courseid: 20, userid: 204, grade: 9, timecompleted: now - 30 * DAY_S },
        { courseid: 20, userid: 205, grade: null, timecompleted: now - 1 * DAY_S },
      ],
    });
    moodle.state.setGrade({ courseid: 20, userid: 203, grade: 4 });
  });
  afterEach(() => moodle.faults.reset());
  afterAll(() => moodle.close());

  it('[CV-1] [CV-5] returns the completions since the given date with the course grade, keyed by idnumber or user id', async () => {
    const skipped: SkippedCompletion[] = [];
    const progress: [number, number][] = [];
    const completions = await listRecentCompletions(client, {
      since: new Date((now - 7 * DAY_S) * 1000),
      onSkip: (s) => skipped.push(s),
      onProgress: (done, total) => progress.push([done, total]),
    });

    expect(completions.sort((a, b) => a.learnerId.localeCompare(b.learnerId))).toEqual([
      {
        source: 'moodle',
        learnerId: '202',
        courseId: '20',
        grade: '6.00',
        completedAt: new Date((now - DAY_S) * 1000).toISOString(),
      },
      {
        source: 'moodle',
        learnerId: 'CV-1001',
        courseId: '20',
        grade: '8.50',
        completedAt: new Date((now - 2 * DAY_S) * 1000).toISOString(),
      },
    ]);
    // Eva completed without a course grade yet: reported as skipped, picked up by a later poll.
    expect(skipped).toEqual([{ courseId: 20, userId: 205, reason: 'completed without a course grade' }]);
    // Progress counts courses: 20 and 22 (no criteria); course 21 is not tracked.
    expect(progress.at(-1)).toEqual([2, 2]);
  });

  it('moves the window with since', async () => {
    const all = await listRecentCompletions(client, { since: new Date((now - 60 * DAY_S) * 1000) });
    expect(all.map((c) => c.learnerId).sort()).toEqual(['202', 'CV-1001', 'CV-1004']);
    const none = await listRecentCompletions(client, { since: new Date((now + 60) * 1000) });
    expect(none).toEqual([]);
  });

  it('fails with a TransientError when Moodle is unavailable', async () => {
    moodle.faults.set({ failNext: 50, failStatus: 502 });
    await expect(listRecentCompletions(client, { since: new Date(0) })).rejects.toBeInstanceOf(
      TransientError,
    );
  });
});
