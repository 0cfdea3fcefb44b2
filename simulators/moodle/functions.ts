import { moodleExceptions } from './exceptions';
import type { ParamValue } from './params';
import type { MoodleCourse, MoodleState, MoodleUser } from './state';

type Params = Record<string, ParamValue>;
type WsFunction = (state: MoodleState, params: Params) => unknown;

function intParam(params: Params, name: string, required = true): number | undefined {
  const raw = params[name];
  if (raw === undefined) {
    if (required)
      throw moodleExceptions.invalidParameter(`Missing required key in single structure: ${name}`);
    return undefined;
  }
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) {
    throw moodleExceptions.invalidParameter(
      `${name} => Invalid parameter value detected: Invalid external api parameter: the value is "${String(raw)}", the server was expecting "int" type`,
    );
  }
  return Number(raw);
}

function courseOf(state: MoodleState, params: Params): MoodleCourse {
  const course = state.courses.get(intParam(params, 'courseid') as number);
  if (!course) throw moodleExceptions.missingRecord('course');
  if (!course.wsAccess) throw moodleExceptions.noPermissions();
  return course;
}

function userOf(state: MoodleState, params: Params): MoodleUser {
  const user = state.users.get(intParam(params, 'userid') as number);
  if (!user) throw moodleExceptions.missingRecord('user');
  return user;
}

const fullname = (u: MoodleUser): string => `${u.firstname} ${u.lastname}`;

function courseJson(c: MoodleCourse): Record<string, unknown> {
  return {
    id: c.id,
    shortname: c.shortname,
    categoryid: c.id === 1 ? 0 : 1,
    categorysortorder: 10000 + c.id,
    fullname: c.fullname,
    displayname: c.fullname,
    idnumber: c.idnumber,
    summary: '',
    summaryformat: 1,
    format: c.id === 1 ? 'site' : 'topics',
    showgrades: 1,
    newsitems: 5,
    startdate: c.timecreated,
    enddate: 0,
    numsections: 4,
    maxbytes: 0,
    showreports: 0,
    visible: 1,
    groupmode: 0,
    groupmodeforce: 0,
    defaultgroupingid: 0,
    timecreated: c.timecreated,
    timemodified: c.timecreated,
    enablecompletion: c.enablecompletion ? 1 : 0,
    completionnotify: 0,
    lang: '',
    forcetheme: '',
    courseformatoptions: [],
  };
}

const getCourses: WsFunction = (state, params) => {
  const options = params.options;
  const ids = typeof options === 'object' && !Array.isArray(options) ? options.ids : undefined;
  const wanted = Array.isArray(ids) ? ids.map((id) => Number(id)) : undefined;
  const courses = [...state.courses.values()].filter((c) => !wanted || wanted.includes(c.id));
  return courses.map(courseJson);
};

const getEnrolledUsers: WsFunction = (state, params) => {
  const course = courseOf(state, params);
  const userids = [...(state.enrolments.get(course.id) ?? [])];
  return userids
    .map((id) => state.users.get(id))
    .filter((u): u is MoodleUser => u !== undefined)
    .map((u) => ({
      id: u.id,
      username: u.username,
      firstname: u.firstname,
      lastname: u.lastname,
      fullname: fullname(u),
      email: u.email,
      // Moodle leaves optional profile fields out of the answer when they are empty.
      ...(u.idnumber ? { idnumber: u.idnumber } : {}),
      // Unix seconds, 0 when the learner never opened the course (Moodle updates it at most once a minute).
      lastcourseaccess: state.lastAccessOf(course.id, u.id) ?? 0,
      roles: [{ roleid: 5, name: '', shortname: 'student', sortorder: 0 }],
      enrolledcourses: [{ id: course.id, fullname: course.fullname, shortname: course.shortname }],
    }));
};

const getCourseCompletionStatus: WsFunction = (state, params) => {
  const course = courseOf(state, params);
  const user = userOf(state, params);
  if (!course.enablecompletion) throw moodleExceptions.completionNotEnabled();
  if (course.criteria.length === 0) throw moodleExceptions.noCriteriaSet();
  if (!state.isEnrolled(course.id, user.id)) throw moodleExceptions.notTracked();
  const completedAt = state.completedAt(course.id, user.id);
  const done = completedAt !== undefined;
  return {
    completionstatus: {
      completed: done,
      aggregation: 1,
      completions: course.criteria.map((criterion) => ({
        type: criterion.type,
        title: criterion.title,
        status: done ? 'Yes' : 'No',
        complete: done,
        timecompleted: done ? completedAt : null,
        details: {
          type: criterion.title,
          criteria: course.fullname,
          requirement: 'Marking complete',
          status: '',
        },
      })),
    },
    warnings: [],
  };
};

function gradeItem(
  course: MoodleCourse,
  raw: number | null,
  gradedAt: number | undefined,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const max = course.grademax;
  return {
    iteminstance: course.id,
    itemnumber: 0,
    idnumber: '',
    categoryid: null,
    outcomeid: null,
    scaleid: null,
    locked: false,
    weightraw: 1,
    weightformatted: '100.00 %',
    graderaw: raw,
    gradedatesubmitted: null,
    gradedategraded: raw === null ? null : (gradedAt ?? null),
    gradehiddenbydate: false,
    gradeneedsupdate: false,
    gradeishidden: false,
    gradeislocked: false,
    gradeisoverridden: false,
    gradeformatted: raw === null ? '-' : raw.toFixed(2),
    grademin: 0,
    grademax: max,
    rangeformatted: `0.00&ndash;${max.toFixed(2)}`,
    percentageformatted: raw === null ? '-' : `${((raw / max) * 100).toFixed(2)} %`,
    feedback: '',
    feedbackformat: 0,
    ...extra,
  };
}

const getGradeItems: WsFunction = (state, params) => {
  const course = courseOf(state, params);
  const onlyUser = intParam(params, 'userid', false);
  const userids = [...(state.enrolments.get(course.id) ?? [])].filter(
    (id) => onlyUser === undefined || id === onlyUser,
  );
  if (onlyUser !== undefined && userids.length === 0) userOf(state, params);
  return {
    usergrades: userids.map((userid) => {
      const user = state.users.get(userid) as MoodleUser;
      const raw = state.gradeOf(course.id, userid);
      const gradedAt = state.gradedAtOf(course.id, userid);
      return {
        courseid: course.id,
        courseidnumber: course.idnumber,
        userid,
        userfullname: fullname(user),
        useridnumber: user.idnumber,
        maxdepth: 2,
        gradeitems: [
          gradeItem(course, raw, gradedAt, {
            id: course.id * 10 + 1,
            itemname: 'Final assessment',
            itemtype: 'mod',
            itemmodule: 'quiz',
            cmid: course.id * 10 + 1,
          }),
          gradeItem(course, raw, gradedAt, {
            id: course.id * 10,
            itemname: null,
            itemtype: 'course',
            itemmodule: null,
          }),
        ],
      };
    }),
    warnings: [],
  };
};

const getSiteInfo: WsFunction = () => ({
  sitename: 'Moodle simulator',
  username: 'ws-coachview',
  firstname: 'Web',
  lastname: 'Service',
  fullname: 'Web Service',
  lang: 'en',
  userid: 2,
  siteurl: 'http://localhost',
  userpictureurl: '',
  functions: Object.keys(wsFunctions).map((name) => ({ name, version: '2024100700' })),
  release: '4.5 (Build: 20241007)',
  version: '2024100700',
});

/** The web service functions this simulator implements, by `wsfunction` name. */
export const wsFunctions: Record<string, WsFunction> = {
  core_webservice_get_site_info: getSiteInfo,
  core_course_get_courses: getCourses,
  core_enrol_get_enrolled_users: getEnrolledUsers,
  core_completion_get_course_completion_status: getCourseCompletionStatus,
  gradereport_user_get_grade_items: getGradeItems,
};
