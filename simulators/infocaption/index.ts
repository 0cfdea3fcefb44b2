/** The InfoCaption simulator: guides, users and course results with OAuth2, faults and a rate limit. */
export {
  GUIDES_MAX_HITS_PER_PAGE,
  INFOCAPTION_API_PREFIX,
  INFOCAPTION_DEFAULT_RATE_LIMIT,
  INFOCAPTION_TOKEN_PATH,
  RESULTS_MAX_HITS_PER_PAGE,
  infoCaptionRoutes,
  startInfoCaptionSimulator,
} from './server';
export type { InfoCaptionSimulator, InfoCaptionSimulatorOptions, InfoCaptionUsage } from './server';
export type { GenerateSpec, Guide, Result, Seed, User } from './model';
export { InfoCaptionState } from './state';
export type { FaultSettings } from '../competence-common';
