/** The WinLas simulator: competence tree, persons and registrations with an API key, faults and a rate limit. */
export {
  PERSONS_MAX_PAGE_SIZE,
  WINLAS_API_KEY_HEADER,
  WINLAS_API_PREFIX,
  WINLAS_DEFAULT_RATE_LIMIT,
  startWinLasSimulator,
  winLasRoutes,
} from './server';
export type { WinLasSimulator, WinLasSimulatorOptions, WinLasUsage } from './server';
export type { Competence, GenerateSpec, Person, Registration, RegistrationInput, Seed } from './model';
export { emailKey, WinLasState } from './state';
export type { FaultSettings } from '../competence-common';
