import { z } from 'zod';

/** Moodle's COMPLETION_CRITERIA_TYPE_* constants. */
export const criteriaTypes = {
  self: 1,
  date: 2,
  unenrol: 3,
  activity: 4,
  duration: 5,
  grade: 6,
  role: 7,
  course: 8,
};

const unixTime = z
  .union([z.number().int(), z.iso.datetime({ offset: true })])
  .transform((t) => (typeof t === 'number' ? t : Math.floor(Date.parse(t) / 1000)));

export const moodleCourseSeedSchema = z.object({
  id: z.number().int().min(2).optional(),
  shortname: z.string().min(1),
  fullname: z.string().min(1),
  idnumber: z.string().default(''),
  enablecompletion: z.boolean().default(true),
  /** An empty list makes Moodle answer `nocriteriaset` for completion status. */
  criteria: z
    .array(z.object({ type: z.number().int(), title: z.string() }))
    .default([{ type: criteriaTypes.activity, title: 'Activity completion' }]),
  grademax: z.number().positive().default(10),
  /**
   * False plays a course the web service user may not read (a missing capability in that course's
   * context): Moodle answers its course-level functions with `nopermissions`.
   */
  wsAccess: z.boolean().default(true),
});

export const moodleUserSeedSchema = z.object({
  id: z.number().int().min(2).optional(),
  username: z.string().min(1),
  firstname: z.string().min(1),
  lastname: z.string().min(1),
  email: z.email(),
  /** The id Coachview knows (persoonsid / externid); empty when not set. */
  idnumber: z.string().default(''),
});

export const moodleCompletionSeedSchema = z.object({
  courseid: z.number().int(),
  userid: z.number().int(),
  /** Course total; null = completed but not (yet) graded. */
  grade: z.number().nullable().default(null),
  timecompleted: unixTime,
  /**
   * When the learner last opened the course (`lastcourseaccess`); default: the completion time, as
   * when the learner's last activity completes the course. Set it earlier for completions Moodle's
   * cron records without the learner in the course (by date, by duration, marked by a teacher).
   */
  lastaccess: unixTime.optional(),
});

export const moodleGradeSeedSchema = z.object({
  courseid: z.number().int(),
  userid: z.number().int(),
  grade: z.number().nullable(),
  /** When the teacher graded (`gradedategraded` of the course total); default: now. */
  timegraded: unixTime.optional(),
});

export const moodleAccessSeedSchema = z.object({
  courseid: z.number().int(),
  userid: z.number().int(),
  /** The learner opened the course at this moment (`lastcourseaccess`). */
  time: unixTime,
});

export const moodleSeedSchema = z.object({
  courses: z.array(moodleCourseSeedSchema).default([]),
  users: z.array(moodleUserSeedSchema).default([]),
  enrolments: z.array(z.object({ courseid: z.number().int(), userid: z.number().int() })).default([]),
  completions: z.array(moodleCompletionSeedSchema).default([]),
});

export type MoodleCourse = z.output<typeof moodleCourseSeedSchema> & { id: number; timecreated: number };
export type MoodleUser = z.output<typeof moodleUserSeedSchema> & { id: number };
export type MoodleSeed = z.input<typeof moodleSeedSchema>;

const key = (courseid: number, userid: number): string => `${courseid}:${userid}`;

/** Moodle's data as the web services see it: the site course (id 1), courses, users, enrolments, grades, completions. */
export class MoodleState {
  readonly courses = new Map<number, MoodleCourse>();
  readonly users = new Map<number, MoodleUser>();
  readonly enrolments = new Map<number, Set<number>>();
  /** Course total per `courseid:userid`. */
  readonly grades = new Map<string, number | null>();
  /** Course completion time (unix seconds) per `courseid:userid`, as Moodle's cron records it. */
  readonly completions = new Map<string, number>();
  /** When the course total was last graded (unix seconds) per `courseid:userid`. */
  readonly gradedAt = new Map<string, number>();
  /** The learner's last access to the course (unix seconds) per `courseid:userid`. */
  readonly lastAccess = new Map<string, number>();
  #nextCourseId = 2;
  #nextUserId = 3;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.courses.clear();
    this.users.clear();
    this.enrolments.clear();
    this.grades.clear();
    this.completions.clear();
    this.gradedAt.clear();
    this.lastAccess.clear();
    this.#nextCourseId = 2;
    this.#nextUserId = 3;
    this.courses.set(1, {
      id: 1,
      shortname: 'site',
      fullname: 'Moodle site',
      idnumber: '',
      enablecompletion: false,
      criteria: [],
      grademax: 100,
      wsAccess: true,
      timecreated: 0,
    });
  }

  addCourse(seed: z.input<typeof moodleCourseSeedSchema>): MoodleCourse {
    const parsed = moodleCourseSeedSchema.parse(seed);
    const id = parsed.id ?? this.#nextCourseId;
    this.#nextCourseId = Math.max(this.#nextCourseId, id + 1);
    const course = { ...parsed, id, timecreated: Math.floor(Date.now() / 1000) };
    this.courses.set(id, course);
    return course;
  }

  addUser(seed: z.input<typeof moodleUserSeedSchema>): MoodleUser {
    const parsed = moodleUserSeedSchema.parse(seed);
    const id = parsed.id ?? this.#nextUserId;
    this.#nextUserId = Math.max(this.#nextUserId, id + 1);
    const user = { ...parsed, id };
    this.users.set(id, user);
    return user;
  }

  enrol(courseid: number, userid: number): void {
    if (!this.courses.has(courseid)) throw new Error(`no course ${courseid}`);
    if (!this.users.has(userid)) throw new Error(`no user ${userid}`);
    const set = this.enrolments.get(courseid) ?? new Set<number>();
    set.add(userid);
    this.enrolments.set(courseid, set);
  }

  isEnrolled(courseid: number, userid: number): boolean {
    return this.enrolments.get(courseid)?.has(userid) ?? false;
  }

  setGrade(seed: z.input<typeof moodleGradeSeedSchema>): void {
    const { courseid, userid, grade, timegraded } = moodleGradeSeedSchema.parse(seed);
    if (!this.isEnrolled(courseid, userid))
      throw new Error(`user ${userid} is not enrolled in course ${courseid}`);
    this.grades.set(key(courseid, userid), grade);
    this.gradedAt.set(key(courseid, userid), timegraded ?? Math.floor(Date.now() / 1000));
  }

  /** The learner opens the course: Moodle records `lastcourseaccess`. */
  access(seed: z.input<typeof moodleAccessSeedSchema>): void {
    const { courseid, userid, time } = moodleAccessSeedSchema.parse(seed);
    if (!this.isEnrolled(courseid, userid))
      throw new Error(`user ${userid} is not enrolled in course ${courseid}`);
    this.lastAccess.set(key(courseid, userid), time);
  }

  lastAccessOf(courseid: number, userid: number): number | undefined {
    return this.lastAccess.get(key(courseid, userid));
  }

  gradedAtOf(courseid: number, userid: number): number | undefined {
    return this.gradedAt.get(key(courseid, userid));
  }

  /** What Moodle's completion cron does when a learner meets the criteria: marks the course complete. */
  complete(seed: z.input<typeof moodleCompletionSeedSchema>): void {
    const { courseid, userid, grade, timecompleted, lastaccess } = moodleCompletionSeedSchema.parse(seed);
    if (!this.isEnrolled(courseid, userid))
      throw new Error(`user ${userid} is not enrolled in course ${courseid}`);
    this.completions.set(key(courseid, userid), timecompleted);
    const accessed = lastaccess ?? timecompleted;
    if (accessed > (this.lastAccessOf(courseid, userid) ?? 0))
      this.lastAccess.set(key(courseid, userid), accessed);
    if (grade !== null || !this.grades.has(key(courseid, userid))) {
      this.grades.set(key(courseid, userid), grade);
      if (grade !== null) this.gradedAt.set(key(courseid, userid), timecompleted);
    }
  }

  completedAt(courseid: number, userid: number): number | undefined {
    return this.completions.get(key(courseid, userid));
  }

  gradeOf(courseid: number, userid: number): number | null {
    return this.grades.get(key(courseid, userid)) ?? null;
  }

  seed(input: MoodleSeed): void {
    const seed = moodleSeedSchema.parse(input);
    seed.courses.forEach((c) => this.addCourse(c));
    seed.users.forEach((u) => this.addUser(u));
    seed.enrolments.forEach((e) => this.enrol(e.courseid, e.userid));
    seed.completions.forEach((c) => this.complete(c));
  }

  snapshot(): unknown {
    return {
      courses: [...this.courses.values()],
      users: [...this.users.values()],
      enrolments: [...this.enrolments].map(([courseid, users]) => ({ courseid, userids: [...users] })),
      grades: Object.fromEntries(this.grades),
      completions: Object.fromEntries(this.completions),
      gradedAt: Object.fromEntries(this.gradedAt),
      lastAccess: Object.fromEntries(this.lastAccess),
    };
  }
}
