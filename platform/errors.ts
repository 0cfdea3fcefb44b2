/**
 * One error hierarchy for calls to outside systems. Adapters throw these; the worker's activity
 * interceptor maps them to Temporal failures in one place ({@link toApplicationFailure}), following
 * the failure-message policy (docs/failure-messages.md): messages readable and free of personal
 * values, personal or verbatim details only in the failure's details, which the codec encrypts.
 */
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';

export abstract class ExternalSystemError extends Error {
  abstract readonly retryable: boolean;
  /** Failure type shown in Temporal, e.g. `Coachview.Rejected`. */
  abstract readonly type: string;
  /** The outside system's own words (a server reply, an exception text); see {@link quoting}. */
  verbatim?: string;
  constructor(
    readonly system: string,
    /** Names the call, the reason, status codes and error codes; never a personal value. */
    message: string,
    readonly status?: number,
  ) {
    super(`${system}: ${message}`);
    this.name = new.target.name;
  }

  /**
   * Keeps the outside system's own words with the error. They may quote personal data (an SMTP
   * reply names the recipient, a Moodle exception the user), so they travel only in the failure's
   * encrypted details, never in its message.
   */
  quoting(text: string | undefined): this {
    if (text) this.verbatim = text;
    return this;
  }
}

/** Timeouts, connection errors, 408, 429 and 5xx: worth retrying with backoff. */
export class TransientError extends ExternalSystemError {
  readonly retryable = true;
  constructor(
    system: string,
    message: string,
    status?: number,
    /** From `Retry-After` or rate-limit headers, when the system said how long to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(system, message, status);
  }
  get type(): string {
    return `${this.system}.Transient`;
  }
}

/** 400/401/403/404/422: the system understood and said no; retrying the same call will not help. */
export class RejectedError extends ExternalSystemError {
  readonly retryable = false;
  constructor(
    system: string,
    message: string,
    status?: number,
    readonly reason: string = 'Rejected',
  ) {
    super(system, message, status);
  }
  get type(): string {
    return `${this.system}.${this.reason}`;
  }
}

/** The answer did not have the shape the system documents (malformed body, wrong fields). */
export class SchemaError extends ExternalSystemError {
  readonly retryable = false;
  constructor(system: string, what: string, issues: string) {
    super(system, `unexpected ${what}: ${issues}`);
  }
  get type(): string {
    return `${this.system}.UnexpectedResponse`;
  }
}

/**
 * The failure Temporal records for an error thrown by an activity (`activity` names it):
 * - Temporal failures (our `ApplicationFailure`s, cancellation) pass through: their messages are
 *   written to the policy where they are thrown;
 * - outside-system errors keep their message and type; status and verbatim words go in details;
 * - any other error (a library's, Node's, a bug) was not written for operators and may quote the
 *   data it choked on (JSON.parse quotes its input, a driver the value it could not convert): its
 *   message and stack are withheld into the encrypted details, its name stays the failure type so
 *   retry policies and operators still see what it was. It stays retryable, as before.
 */
export function toApplicationFailure(err: unknown, activity = 'activity'): unknown {
  if (err instanceof TemporalFailure) return err;
  if (err instanceof ExternalSystemError) {
    const details: Record<string, unknown> = {};
    if (err.status !== undefined) details.status = err.status;
    if (err.verbatim !== undefined) details.verbatim = err.verbatim;
    return ApplicationFailure.create({
      type: err.type,
      message: err.message,
      nonRetryable: !err.retryable,
      details: Object.keys(details).length > 0 ? [details] : [],
      nextRetryDelay:
        err instanceof TransientError && err.retryAfterMs !== undefined ? err.retryAfterMs : undefined,
      cause: err,
    });
  }
  const name = err instanceof Error ? err.name || 'Error' : typeof err;
  return ApplicationFailure.create({
    type: name,
    message: `${name} in ${activity} (${WITHHELD})`,
    details: [err instanceof Error ? { message: err.message, stack: err.stack } : { message: String(err) }],
  });
}

/** How a withheld message reads; operators with the codec see the original in the details. */
export const WITHHELD = 'message withheld: it may quote personal data; the encrypted details hold it';
