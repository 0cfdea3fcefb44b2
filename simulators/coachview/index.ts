/** The Coachview simulator: a small real HTTP server with state, fault switches and admin endpoints. */
export { startCoachviewSimulator, COACHVIEW_DAILY_REQUEST_LIMIT } from './server';
export type { CoachviewSimulator, CoachviewSimulatorOptions, CoachviewUsage } from './server';
export type { FaultSettings } from '../common/faults';
export type {
  CoachviewSnapshot,
  ElearningComponent,
  EnrolmentSeed,
  Person,
  PersonSeed,
  PushLogEntry,
  PushOutcome,
  Seed,
  TrainingRequestComponent,
} from './model';
export { resultPushPath } from './routes/push';
export { tokenPath } from './routes/oauth';
export { apiPrefix } from './routes/api';
