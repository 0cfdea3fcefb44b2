import { createMoodleClient, type MoodleClient } from '../../../adapters/moodle';
import { RejectedError, SchemaError, TransientError } from '../../../platform/errors';
import { Secret } from '../../../platform/secret';
import { startMoodleSimulator, type MoodleSimulator } from '../../../simulators/moodle';

const TOKEN = 'moodle-test-token-1234';

describe('Moodle client against the Moodle simulator', () => {
  let moodle: MoodleSimulator;
  let client: MoodleClient;

  beforeAll(async () => {
    moodle = await startMoodleSimulator({ token: TOKEN });
    client = createMoodleClient({ baseUrl: moodle.url, token: new Secret(TOKEN), timeoutMs: 2000 });
    moodle.state.seed({
      courses: [
        { id: 10, shortname: 'VW', fullname: 'Veilig werken' },
        { id: 11, shortname: 'OLD', fullname: 'No completion tracking', enablecompletion: false },
      ],
      users: [
        {
          id: 101,
          username: 'anna',
          firstname: 'Anna',
          lastname: 'de Vries',
          email: 'anna@example.org',
          idnumber: 'CV-1001',
        },
        { id: 102, username: 'bram', firstname: 'Bram', lastname: 'Jansen', email: 'bram@example.org' },
      ],
      enrolments: [
        { courseid: 10, userid: 101 },
        { courseid: 10, userid: 102 },
      ],
      completions: [{ courseid: 10, userid: 101, grade: 8.5, timecompleted: '2026-03-01T09:15:00Z' }],
    });
  });
  afterEach(() => moodle.faults.reset());
  afterAll(() => moodle.close());

  it('lists the site course and the courses with their completion setting', async () => {
    const courses = await client.getCourses();
    expect(courses.map((c) => [c.id, c.format, c.enablecompletion])).toEqual([
      [1, 'site', false],
      [10, 'topics', true],
      [11, 'topics', false],
    ]);
    expect((await client.getCourses([10])).map((c) => c.shortname)).toEqual(['VW']);
  });

  it('[CV-5] lists enrolled users with the idnumber only where the site set one', async () => {
    const users = await client.getEnrolledUsers(10);
    expect(users).toEqual([
      expect.objectContaining({ id: 101, fullname: 'Anna de Vries', idnumber: 'CV-1001' }),
      expect.objectContaining({ id: 102, fullname: 'Bram Jansen' }),
    ]);
    expect(users[1]?.idnumber).toBeUndefined();
  });

  it('reads the course completion status with the time each criterion was met', async () => {
    const done = await client.getCourseCompletionStatus(10, 101);
    expect(done.completionstatus.completed).toBe(true);
    expect(done.completionstatus.completions[0]).toMatchObject({
      complete: true,
      status: 'Yes',
      timecompleted: Date.parse('2026-03-01T09:15:00Z') / 1000,
    });
    const notDone = await client.getCourseCompletionStatus(10, 102);
    expect(notDone.completionstatus.completed).toBe(false);
    expect(notDone.completionstatus.completions[0]?.timecompleted).toBeNull();
  });

  it('reads the course total among the grade items', async () => {
    const grades = await client.getUserGradeItems(10, 101);
    const courseItem = grades.usergrades[0]?.gradeitems.find((i) => i.itemtype === 'course');
    expect(courseItem).toMatchObject({ graderaw: 8.5, gradeformatted: '8.50', grademax: 10, itemname: null });
  });

  it('marks a completion through the admin endpoint like Moodle cron does', async () => {
    const res = await fetch(`${moodle.url}/__admin/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ courseid: 10, userid: 102, grade: 6, timecompleted: 1772000000 }),
    });
    expect(res.status).toBe(201);
    const status = await client.getCourseCompletionStatus(10, 102);
    expect(status.completionstatus.completions[0]?.timecompleted).toBe(1772000000);
  });

  it('answers the REST protocol over GET with PHP-style array parameters too', async () => {
    const query = new URLSearchParams({
      wstoken: TOKEN,
      wsfunction: 'core_course_get_courses',
      moodlewsrestformat: 'json',
      'options[ids][0]': '11',
    });
    const body = (await (await fetch(`${moodle.url}/webservice/rest/server.php?${query}`)).json()) as {
      id: number;
    }[];
    expect(body.map((c) => c.id)).toEqual([11]);
  });

  it('turns an invalid token into a RejectedError without revealing the token', async () => {
    const wrong = createMoodleClient({
      baseUrl: moodle.url,
      token: new Secret('not-the-token'),
      timeoutMs: 2000,
    });
    const err = await wrong.getCourses().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect(err).toMatchObject({ reason: 'invalidtoken', type: 'Moodle.invalidtoken', retryable: false });
    expect(String((err as Error).message)).not.toContain('not-the-token');
  });

  it('turns Moodle exceptions for unknown records and untracked courses into RejectedErrors', async () => {
    await expect(client.getEnrolledUsers(999)).rejects.toMatchObject({ reason: 'invalidrecord' });
    // [PLAT-13] Moodle's own words may name a user or a value: they are kept apart from the message.
    await expect(client.getEnrolledUsers(999)).rejects.toMatchObject({
      message: 'Moodle: core_enrol_get_enrolled_users: Moodle refused the call (invalidrecord)',
      verbatim: expect.stringContaining("Can't find data record"),
    });
    await expect(client.getCourseCompletionStatus(11, 101)).rejects.toMatchObject({
      reason: 'completionnotenabled',
    });
  });

  it('treats 503 as transient and 429 as transient with its Retry-After', async () => {
    moodle.faults.set({ failNext: 1, failStatus: 503 });
    const unavailable = await client.getCourses().catch((e: unknown) => e);
    expect(unavailable).toBeInstanceOf(TransientError);
    expect(unavailable).toMatchObject({ status: 503 });

    moodle.faults.set({ rateLimitNext: 1, retryAfterSeconds: 7 });
    await expect(client.getCourses()).rejects.toMatchObject({ status: 429, retryAfterMs: 7000 });
    await expect(client.getCourses()).resolves.toHaveLength(3);
  });

  it('turns a malformed answer into a SchemaError', async () => {
    moodle.faults.set({ malformedNext: 1 });
    await expect(client.getCourseCompletionStatus(10, 101)).rejects.toBeInstanceOf(SchemaError);
  });

  it('turns a timeout into a TransientError', async () => {
    moodle.faults.set({ latencyMs: 300 });
    const impatient = createMoodleClient({ baseUrl: moodle.url, token: new Secret(TOKEN), timeoutMs: 100 });
    await expect(impatient.getCourses()).rejects.toBeInstanceOf(TransientError);
  });
});
