import { z } from 'zod';
import { createHttpClient, parseAnswer } from '../http';
import { RejectedError } from '../../platform/errors';
import type { Secret } from '../../platform/secret';
import { toMoodleForm, type MoodleParam } from './form';
import {
  courseCompletionStatusSchema,
  courseSchema,
  enrolledUserSchema,
  moodleExceptionSchema,
  siteInfoSchema,
  userGradeItemsSchema,
  type MoodleCourse,
  type MoodleCourseCompletionStatus,
  type MoodleEnrolledUser,
  type MoodleSiteInfo,
  type MoodleUserGradeItems,
} from './schemas';

export const MOODLE_SYSTEM = 'Moodle';
const REST_PATH = '/webservice/rest/server.php';
const DEFAULT_TIMEOUT_MS = 30_000;
/** Ask Moodle for only the profile fields we use (core_enrol_get_enrolled_users `userfields` option). */
const ENROLLED_USER_FIELDS = 'id,username,fullname,email,idnumber,lastcourseaccess';

export interface MoodleClientOptions {
  /** Site root, e.g. `https://moodle.example.org`. */
  baseUrl: string;
  /** Token of a web service user allowed to read courses, enrolments, completion and grades. */
  token: Secret;
  timeoutMs?: number;
}

/** The Moodle web service functions the platform reads. Moodle exceptions become {@link RejectedError}s whose `reason` is Moodle's `errorcode`. */
export interface MoodleClient {
  getSiteInfo(): Promise<MoodleSiteInfo>;
  /** All courses (including the site course, id 1), or those with the given ids. */
  getCourses(ids?: number[]): Promise<MoodleCourse[]>;
  getEnrolledUsers(courseId: number): Promise<MoodleEnrolledUser[]>;
  getCourseCompletionStatus(courseId: number, userId: number): Promise<MoodleCourseCompletionStatus>;
  getUserGradeItems(courseId: number, userId: number): Promise<MoodleUserGradeItems>;
  /** The grade items of every learner in the course in one call (`userid` left out, i.e. 0). */
  getCourseGradeItems(courseId: number): Promise<MoodleUserGradeItems>;
}

export function createMoodleClient(opts: MoodleClientOptions): MoodleClient {
  const http = createHttpClient({
    system: MOODLE_SYSTEM,
    baseURL: opts.baseUrl,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });

  async function call<S extends z.ZodType>(
    wsfunction: string,
    params: Record<string, MoodleParam>,
    schema: S,
  ): Promise<z.output<S>> {
    // The token goes in the body, never in the URL, so it cannot surface in error messages or logs.
    const form = toMoodleForm({
      wstoken: opts.token.reveal(),
      wsfunction,
      moodlewsrestformat: 'json',
      ...params,
    });
    const res = await http.post<unknown>(REST_PATH, form, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const failure = moodleExceptionSchema.safeParse(res.data);
    if (failure.success) {
      const { errorcode, message } = failure.data;
      // Moodle's message may name the user or quote a value: it goes to the encrypted details only.
      throw new RejectedError(
        MOODLE_SYSTEM,
        `${wsfunction}: Moodle refused the call (${errorcode})`,
        undefined,
        errorcode,
      ).quoting(message);
    }
    return parseAnswer(MOODLE_SYSTEM, `${wsfunction} answer`, schema, res.data);
  }

  return {
    getSiteInfo: () => call('core_webservice_get_site_info', {}, siteInfoSchema),
    getCourses: (ids) =>
      call('core_course_get_courses', ids ? { options: { ids } } : {}, z.array(courseSchema)),
    getEnrolledUsers: (courseId) =>
      call(
        'core_enrol_get_enrolled_users',
        { courseid: courseId, options: [{ name: 'userfields', value: ENROLLED_USER_FIELDS }] },
        z.array(enrolledUserSchema),
      ),
    getCourseCompletionStatus: (courseId, userId) =>
      call(
        'core_completion_get_course_completion_status',
        { courseid: courseId, userid: userId },
        courseCompletionStatusSchema,
      ),
    getUserGradeItems: (courseId, userId) =>
      call('gradereport_user_get_grade_items', { courseid: courseId, userid: userId }, userGradeItemsSchema),
    getCourseGradeItems: (courseId) =>
      call('gradereport_user_get_grade_items', { courseid: courseId }, userGradeItemsSchema),
  };
}
