import type { ElearningComponentAnswer, PersonAnswer } from './schemas';
import type { PushOutcome, PushResultInput, RegistrationLookup, RegistrationLookupInput } from './types';

/** One page of a listing; pages count from 1. */
export interface ListPage<T> {
  items: T[];
  /** Items in all pages. */
  total: number;
}

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
  /**
   * One page of every person's ids (id and external id), one REST request: the shared snapshot
   * (CV-6) reads these once for all waiting learners instead of two requests per learner.
   */
  listPersons(page: { page: number; pageSize: number }): Promise<ListPage<PersonAnswer>>;
  /** One page of every e-learning component that carries the course id, one REST request (CV-6). */
  listCourseComponents(page: {
    courseId: string;
    page: number;
    pageSize: number;
  }): Promise<ListPage<ElearningComponentAnswer>>;
  /** Sends one signed result push; Coachview's 404 is `not-processed`, not an error. */
  pushResult(input: PushResultInput): Promise<PushOutcome>;
}
