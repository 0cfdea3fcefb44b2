import type { PushOutcome, PushResultInput, RegistrationLookup, RegistrationLookupInput } from './types';

/**
 * Coachview as the grade return needs it. Failures are thrown as the platform's error hierarchy:
 * `TransientError` (timeouts, 429, 5xx; with `retryAfterMs` when Coachview said how long to wait),
 * `RejectedError` (400 `BadRequest`, 401 `Unauthorized`, 403 `Forbidden`) and `SchemaError`.
 */
export interface CoachviewClient {
  /** Reads the person (by id, then by external id) and their e-learning component for the course. */
  findElearningRegistration(input: RegistrationLookupInput): Promise<RegistrationLookup>;
  /** Sends one signed result push; Coachview's 404 is `not-processed`, not an error. */
  pushResult(input: PushResultInput): Promise<PushOutcome>;
}
