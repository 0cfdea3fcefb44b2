/** WinLas's paths and limits as the adapter assumes them: WinLas publishes no API (docs/infocaption-winlas-apis.md). */
export const WINLAS = 'WinLas';

export const API_KEY_HEADER = 'X-API-Key';
export const COMPETENCES_PATH = '/api/v1/competences';
export const PERSONS_PATH = '/api/v1/persons';
export const PERSON_SEARCH_PATH = '/api/v1/persons/search';
export const registrationsPath = (personId: string): string =>
  `/api/v1/persons/${encodeURIComponent(personId)}/registrations`;
export const REGISTRATIONS_PATH = '/api/v1/registrations';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const MAX_PERSONS_PER_PAGE = 1000;
/** What the integration writes as a registration's source. */
export const REGISTRATION_SOURCE = 'infocaption';
