/**
 * The failure-message policy (docs/failure-messages.md) at the activity boundary and in the logs:
 * messages readable and free of personal values, personal or verbatim words only in the details.
 */
import { Writable } from 'node:stream';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { RejectedError, SchemaError, TransientError, toApplicationFailure } from '../../../platform/errors';
import { createLogger, temporalLogger } from '../../../platform/logging';

const EMAIL = 'sanne.jansen@example.test';

describe('the failure an activity error becomes', () => {
  it('[PLAT-13] an outside-system error keeps its message and type; its status and the system’s own words go to the details', () => {
    const err = new RejectedError('smtp', 'server rejected the mail during RCPT TO (550)', 550).quoting(
      `<${EMAIL}>: mailbox unavailable`,
    );
    const failure = toApplicationFailure(err, 'sendRosterStatusEmail') as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect({ type: failure.type, message: failure.message, nonRetryable: failure.nonRetryable }).toEqual({
      type: 'smtp.Rejected',
      message: 'smtp: server rejected the mail during RCPT TO (550)',
      nonRetryable: true,
    });
    expect(failure.details).toEqual([{ status: 550, verbatim: `<${EMAIL}>: mailbox unavailable` }]);
    expect(failure.message).not.toContain(EMAIL);
  });

  it('[PLAT-13] a transient error stays retryable and keeps Retry-After as the next retry delay', () => {
    const failure = toApplicationFailure(
      new TransientError('Coachview', 'GET /api/v1/persons answered 429', 429, 30_000),
    ) as ApplicationFailure;
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(30_000);
    expect(failure.details).toEqual([{ status: 429 }]);
  });

  it('[PLAT-13] an error not written for operators is withheld: its name and the activity stay readable, its message goes to the details', () => {
    let thrown: unknown;
    try {
      // A file that should hold JSON holds a person's row instead.
      JSON.parse('Sanne');
    } catch (err) {
      thrown = err;
    }
    // Node's own message quotes the text it could not parse.
    expect((thrown as Error).message).toContain('"Sanne"');
    const failure = toApplicationFailure(thrown, 'readRosterSource') as ApplicationFailure;
    expect({ type: failure.type, message: failure.message, nonRetryable: failure.nonRetryable }).toEqual({
      type: 'SyntaxError',
      message:
        'SyntaxError in readRosterSource (message withheld: it may quote personal data; the encrypted details hold it)',
      nonRetryable: false,
    });
    expect(failure.stack ?? '').not.toContain('Sanne');
    expect(failure.cause).toBeUndefined();
    expect(JSON.stringify(failure.details)).toContain('Sanne');
  });

  it('[PLAT-13] failures written where they are thrown (ApplicationFailure, cancellation) pass unchanged', () => {
    const own = ApplicationFailure.create({
      type: 'InvalidInput',
      message: 'Invalid input: courseId: required',
    });
    expect(toApplicationFailure(own)).toBe(own);
    const cancelled = new CancelledFailure('Activity cancelled');
    expect(toApplicationFailure(cancelled)).toBe(cancelled);
  });

  it('[PLAT-13] a schema error names the fields, never the values of a malformed answer', () => {
    const failure = toApplicationFailure(
      new SchemaError('Coachview', 'person list', 'items.0.email: Invalid email address'),
    ) as ApplicationFailure;
    expect(failure.message).toBe('Coachview: unexpected person list: items.0.email: Invalid email address');
  });
});

describe('a log line for an error', () => {
  function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString();
        done();
      },
    });
    return {
      stream,
      lines: () =>
        text
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>),
    };
  }

  it('[PLAT-13] carries the type, message and cause of the error the Temporal SDK logs, never its details', () => {
    const out = capture();
    const logger = temporalLogger(createLogger('info', 'worker', out.stream));
    const failure = ApplicationFailure.create({
      type: 'Coachview.UnexpectedResponse',
      message: 'Coachview: unexpected person list: (body): Invalid input',
      nonRetryable: true,
      details: [{ learnerId: 'P-4711', verbatim: EMAIL }],
      cause: new Error('inner reason'),
    });
    logger.warn('Activity failed', { error: failure, activityType: 'attemptGradeReturn' });
    const [line] = out.lines();
    expect(line).toMatchObject({
      msg: 'Activity failed',
      activityType: 'attemptGradeReturn',
      error: {
        type: 'Coachview.UnexpectedResponse',
        message: 'Coachview: unexpected person list: (body): Invalid input',
        nonRetryable: true,
        cause: { type: 'Error', message: 'inner reason' },
      },
    });
    expect(JSON.stringify(line)).not.toContain('P-4711');
    expect(JSON.stringify(line)).not.toContain(EMAIL);
  });

  it('[PLAT-13] our own `err` fields are serialised the same way', () => {
    const out = capture();
    createLogger('info', 'intake', out.stream).error({ err: new TypeError('bad thing') }, 'failed');
    expect(out.lines()[0]).toMatchObject({ err: { type: 'TypeError', message: 'bad thing' } });
  });
});
