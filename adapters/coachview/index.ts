/** Coachview: the client interface the grade return uses, its HTTP implementation and its types. */
export type { CoachviewClient, ListPage } from './client';
export type { ElearningComponentAnswer, PersonAnswer } from './schemas';
export { createCoachviewClient, type CoachviewClientOptions } from './http-client';
export {
  pushOutcomeSchema,
  pushResultInputSchema,
  registrationLookupInputSchema,
  registrationLookupSchema,
  type PushOutcome,
  type PushResultInput,
  type RegistrationLookup,
  type RegistrationLookupInput,
} from './types';
export { DAILY_REQUEST_LIMIT } from './limits';
export { registrationOf } from './lookup';
