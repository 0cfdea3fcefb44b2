/** WinLas: the client interface the competence lifecycle uses, its HTTP implementation and its types. */
export { createWinLasClient, type WinLasClientOptions } from './http-client';
export type {
  CompetenceRegistration,
  WinLasClient,
  WinLasCompetence,
  WinLasPerson,
  WinLasPersonsPage,
} from './types';
export { MAX_PERSONS_PER_PAGE, REGISTRATION_SOURCE, WINLAS } from './limits';
