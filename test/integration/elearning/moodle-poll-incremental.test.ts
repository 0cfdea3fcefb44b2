/**
 * The Moodle poll on a real site (CV-1): incremental, heartbeating and resumable, starting grade
 * returns as it finds them, and isolating one course's error. The activity runs in a
 * MockActivityEnvironment against the Moodle simulator over HTTP.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Logger } from '@temporalio/common';
import { createMoodlePollActivities } from '../../../activities/moodle-poll';
import { createMoodleClient } from '../../../adapters/moodle';
import type { MoodlePollCursor, MoodlePollResult } from '../../../domain/grade-return/moodle-poll';
import { RejectedError } from '../../../platform/errors';
import { Secret } from '../../../platform/secret';
import { startMoodleSimulator, type MoodleSimulator } from '../../../simulators/moodle';
import { fakeGradeReturnStarter } from './fakes';

const TOKEN = 'moodle-incremental-token';
const DAY_S = 24 * 60 * 60;
const HOUR_S = 60 * 60;
const nowS = (): number => Math.floor(Date.now() / 1000);

interface LogLine {
  level: string;
  message: string;
  meta?: Record<string, unknown>;
}

function recordingLogger(lines: LogLine[]): Logger {
  const at =
    (level: string) =>
    (message: string, meta?: Record<string, unknown>): void =>
      void lines.push({ level, message, ...(meta ? { meta } : {}) });
  return {
    log: (level, message, meta) => at(level)(message, meta),
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

const user = (id: number) => ({
  id,
  username: `u${id}`,
  firstname: 'Learner',
  lastname: String(id),
  email: `u${id}@example.org`,
  idnumber: `P-${id}`,
});

describe('[CV-1] Moodle poll on a real site', () => {
  let moodle: MoodleSimulator;
  let starter: ReturnType<typeof fakeGradeReturnStarter>;
  let logs: LogLine[];

  beforeAll(async () => {
    moodle = await startMoodleSimulator({ token: TOKEN });
  });
  beforeEach(() => {
    moodle.state.reset();
    moodle.calls.length = 0;
    starter = fakeGradeReturnStarter();
    logs = [];
  });
  afterAll(() => moodle.close());

  const poll = (opts: { token?: string; heartbeatDetails?: unknown } = {}) => {
    const { pollMoodleCompletions } = createMoodlePollActivities({
      moodle: createMoodleClient({
        baseUrl: moodle.url,
        token: new Secret(opts.token ?? TOKEN),
        timeoutMs: 2000,
      }),
      startGradeReturn: starter.start,
    });
    const env = new MockActivityEnvironment(
      opts.heartbeatDetails === undefined ? undefined : { heartbeatDetails: opts.heartbeatDetails },
      { logger: recordingLogger(logs) },
    );
    const heartbeats: Record<string, unknown>[] = [];
    env.on('heartbeat', (d: Record<string, unknown>) => heartbeats.push(structuredClone(d)));
    return {
      heartbeats,
      run: (input: { lookbackDays: number; cursor?: MoodlePollCursor }) =>
        env.run(pollMoodleCompletions, input) as Promise<MoodlePollResult>,
    };
  };
  const statusCalls = () =>
    moodle.calls
      .filter((c) => c.wsfunction === 'core_completion_get_course_completion_status')
      .map((c) => Number(c.params.userid))
      .sort();

  /** Three courses (50, 51, 52), one completed learner each, plus idle learners. */
  function seedThreeCourses(): void {
    const t = nowS();
    moodle.state.seed({
      courses: [50, 51, 52].map((id) => ({ id, shortname: `C${id}`, fullname: `Course ${id}` })),
      users: [501, 502, 511, 521].map(user),
      enrolments: [
        { courseid: 50, userid: 501 },
        { courseid: 50, userid: 502 },
        { courseid: 51, userid: 511 },
        { courseid: 52, userid: 521 },
      ],
      completions: [
        { courseid: 50, userid: 501, grade: 7, timecompleted: t - 3 * DAY_S },
        { courseid: 51, userid: 511, grade: 8, timecompleted: t - 3 * DAY_S },
        { courseid: 52, userid: 521, grade: 9, timecompleted: t - 3 * DAY_S },
      ],
    });
  }

  it('[CV-1] a poll with the previous cursor asks only learners active since then; a full scan once a day catches the rest', async () => {
    const t = nowS();
    moodle.state.seed({
      courses: [{ id: 40, shortname: 'VCA', fullname: 'VCA Basis' }],
      users: [401, 402, 403, 404, 405].map(user),
      enrolments: [401, 402, 403, 404, 405].map((userid) => ({ courseid: 40, userid })),
      completions: [{ courseid: 40, userid: 401, grade: 7, timecompleted: t - 3 * DAY_S }],
    });
    moodle.state.access({ courseid: 40, userid: 402, time: t - 5 * DAY_S });

    const first = await poll().run({ lookbackDays: 7 });
    expect(first).toMatchObject({ found: 1, started: 1, fullScan: true, coursesScanned: 1 });
    expect(statusCalls()).toEqual([401, 402, 403, 404, 405]);
    const cursor = first.cursor as MoodlePollCursor;
    expect(Date.parse(cursor.activeSince)).toBeLessThan(Date.now() - HOUR_S * 1000);

    // Since then: 402 finished the last activity, 403 was graded by a teacher and the cron completed
    // the course, 404 completed "by date" without opening the course (no activity since the cursor).
    moodle.state.complete({ courseid: 40, userid: 402, grade: 6, timecompleted: t - 60 });
    moodle.state.complete({
      courseid: 40,
      userid: 403,
      grade: 8,
      timecompleted: t - 60,
      lastaccess: t - 9 * DAY_S,
    });
    moodle.state.complete({
      courseid: 40,
      userid: 404,
      grade: null,
      timecompleted: t - 60,
      lastaccess: t - 9 * DAY_S,
    });
    moodle.state.setGrade({ courseid: 40, userid: 404, grade: 5, timegraded: t - 9 * DAY_S });
    moodle.calls.length = 0;

    const second = await poll().run({ lookbackDays: 7, cursor });
    expect(second).toMatchObject({ found: 2, started: 2, duplicates: 0, fullScan: false });
    expect(statusCalls()).toEqual([402, 403]);
    expect([...starter.started.values()].map((c) => c.learnerId).sort()).toEqual(['P-401', 'P-402', 'P-403']);

    // A day after the last full scan, the next poll asks everyone again and finds 404.
    moodle.calls.length = 0;
    const dayOld = {
      ...(second.cursor as MoodlePollCursor),
      fullScanAt: new Date(Date.now() - 25 * HOUR_S * 1000).toISOString(),
    };
    const third = await poll().run({ lookbackDays: 7, cursor: dayOld });
    expect(third).toMatchObject({ found: 4, started: 1, duplicates: 3, fullScan: true });
    expect(statusCalls()).toEqual([401, 402, 403, 404, 405]);
    expect(Date.parse(third.cursor?.fullScanAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('[CV-1] starts each grade return as soon as it is found, and heartbeats courses done of total and completions found', async () => {
    seedThreeCourses();
    const coursesListedAtStart: number[] = [];
    const start = starter.start;
    starter.start = async (c) => {
      coursesListedAtStart.push(
        moodle.calls.filter((x) => x.wsfunction === 'core_enrol_get_enrolled_users').length,
      );
      return start(c);
    };
    const { run, heartbeats } = poll();
    await expect(run({ lookbackDays: 7 })).resolves.toMatchObject({
      found: 3,
      started: 3,
      coursesScanned: 3,
    });
    // The first grade return started while only the first course had been listed.
    expect(coursesListedAtStart).toEqual([1, 2, 3]);
    expect(heartbeats).toContainEqual(
      expect.objectContaining({
        phase: 'scanning',
        coursesDone: 1,
        coursesTotal: 3,
        lastCourseId: 50,
        found: 1,
      }),
    );
    expect(heartbeats.at(-1)).toMatchObject({ coursesDone: 3, coursesTotal: 3, found: 3, started: 3 });
  });

  it('[CV-1] a retried attempt resumes after the last course in the lost attempt’s heartbeat', async () => {
    seedThreeCourses();
    const lost = {
      phase: 'scanning',
      startedAt: new Date(Date.now() - 10 * 60 * 1000).toISOString(),
      fullScan: true,
      coursesDone: 1,
      coursesTotal: 3,
      lastCourseId: 50,
      found: 1,
      started: 1,
      duplicates: 0,
      failed: [],
    };
    const result = await poll({ heartbeatDetails: lost }).run({ lookbackDays: 7 });
    expect(result).toMatchObject({ found: 3, started: 3, coursesScanned: 3, fullScan: true });
    // Course 50 was not asked again; 51 and 52 were.
    const courseIds = new Set(moodle.calls.map((c) => c.params.courseid).filter(Boolean));
    expect([...courseIds].sort()).toEqual(['51', '52']);
    expect(starter.calls.map((c) => c.learnerId).sort()).toEqual(['P-511', 'P-521']);
    // The next cursor is measured from when the lost attempt started.
    expect(Date.parse(result.cursor?.activeSince ?? '')).toBe(Date.parse(lost.startedAt) - 2 * HOUR_S * 1000);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'info', message: 'Moodle poll resumes after a lost attempt' }),
    );
  });

  it('[CV-1] an unknown Moodle error in one course is reported and the others are scanned; the next poll asks that course again', async () => {
    seedThreeCourses();
    const denied = moodle.state.courses.get(51);
    if (denied) denied.wsAccess = false;

    const first = await poll().run({ lookbackDays: 7 });
    expect(first).toMatchObject({ found: 2, started: 2, coursesScanned: 2 });
    expect(first.coursesFailed).toEqual([
      {
        courseId: 51,
        reason: 'Moodle: core_enrol_get_enrolled_users: Moodle refused the call (nopermissions)',
        activeSince: null,
      },
    ]);
    expect(first.cursor?.retry).toEqual(first.coursesFailed);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'Moodle course not scanned; the next poll tries it again',
        meta: expect.objectContaining({
          courseId: 51,
          reason: 'Moodle: core_enrol_get_enrolled_users: Moodle refused the call (nopermissions)',
        }),
      }),
    );

    // The site fixes the permission; the next (incremental) poll asks course 51 fully again, even
    // though its learner was last active days before the cursor.
    if (denied) denied.wsAccess = true;
    moodle.calls.length = 0;
    const second = await poll().run({ lookbackDays: 7, cursor: first.cursor as MoodlePollCursor });
    expect(second).toMatchObject({ found: 1, started: 1, fullScan: false, coursesFailed: [] });
    expect(statusCalls()).toEqual([511]);
    expect(starter.started.size).toBe(3);
  });

  it('a refused token is not one course’s problem: the poll still fails', async () => {
    seedThreeCourses();
    const err = await poll({ token: 'wrong-token-0000' })
      .run({ lookbackDays: 7 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).reason).toBe('invalidtoken');
  });
});
