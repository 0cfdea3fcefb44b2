/** A Moodle exception; the REST server answers it with HTTP 200 and `{exception, errorcode, message}`. */
export class MoodleException extends Error {
  constructor(
    readonly exception: string,
    readonly errorcode: string,
    message: string,
    readonly debuginfo?: string,
  ) {
    super(message);
  }

  toJSON(): Record<string, string> {
    return {
      exception: this.exception,
      errorcode: this.errorcode,
      message: this.message,
      ...(this.debuginfo ? { debuginfo: this.debuginfo } : {}),
    };
  }
}

export const moodleExceptions = {
  invalidToken: () =>
    new MoodleException('moodle_exception', 'invalidtoken', 'Invalid token - token not found'),
  missingRecord: (table: string) =>
    new MoodleException(
      'dml_missing_record_exception',
      'invalidrecord',
      `Can't find data record in database table ${table}.`,
    ),
  invalidParameter: (debuginfo: string) =>
    new MoodleException(
      'invalid_parameter_exception',
      'invalidparameter',
      'Invalid parameter value detected',
      debuginfo,
    ),
  /** A capability the web service user lacks in the course's context (required_capability_exception). */
  noPermissions: () =>
    new MoodleException(
      'required_capability_exception',
      'nopermissions',
      'Sorry, but you do not currently have permissions to do that (View participants).',
    ),
  completionNotEnabled: () =>
    new MoodleException('moodle_exception', 'completionnotenabled', 'Completion is not enabled'),
  noCriteriaSet: () =>
    new MoodleException('moodle_exception', 'nocriteriaset', 'No criteria set for this course'),
  notTracked: () =>
    new MoodleException(
      'moodle_exception',
      'nottracked',
      'You are currently not being tracked by completion in this course',
    ),
};
