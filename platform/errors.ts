/**
 * One error hierarchy for calls to outside systems. Adapters throw these; the worker's activity
 * interceptor maps them to Temporal failures in one place ({@link toApplicationFailure}).
 */
import { ApplicationFailure } from '@temporalio/common';

export abstract class ExternalSystemError extends Error {
  abstract readonly retryable: boolean;
  /** Failure type shown in Temporal, e.g. `Coachview.Rejected`. */
  abstract readonly type: string;
  constructor(
    readonly system: string,
    message: string,
    readonly status?: number,
  ) {
    super(`${system}: ${message}`);
    this.name = new.target.name;
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

/** Maps an outside-system error to the failure Temporal records; other errors pass through. */
export function toApplicationFailure(err: unknown): unknown {
  if (!(err instanceof ExternalSystemError)) return err;
  return ApplicationFailure.create({
    type: err.type,
    message: err.message,
    nonRetryable: !err.retryable,
    details: err.status !== undefined ? [{ status: err.status }] : [],
    nextRetryDelay:
      err instanceof TransientError && err.retryAfterMs !== undefined ? err.retryAfterMs : undefined,
    cause: err,
  });
}
