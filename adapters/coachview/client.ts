import type { PushOutcome, PushResultInput, RegistrationLookup, RegistrationLookupInput } from './types';

/**
 * Coachview as the grade return needs it. Failures are thrown as the platform's error hierarchy:
 * `TransientError` (timeouts, 429, 5xx; with `retryAfterMs` when Coachview said how long to wait),
 * `RejectedError` (400 `BadRequest`, 401 `Unauthorized`, 403 `Forbidden`) and `SchemaError`.
 */
export interface CoachviewClient {
  /**
   * Reads the persons the learner id names (by id and by external id; more than one is
   * `person-ambiguous`) and that person's e-learning components for the course.
   */
  findElearningRegistration(input: RegistrationLookupInput): Promise<RegistrationLookup>;
  /** Sends one signed result push; Coachview's 404 is `not-processed`, not an error. */
  pushResult(input: PushResultInput): Promise<PushOutcome>;
}
