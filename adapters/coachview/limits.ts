/** Coachview's limits as the adapter honours them. */
import { COACHVIEW_CALL_TIMEOUT_MS } from '../../domain/grade-return/timeouts';

export const COACHVIEW = 'Coachview';

/** Coachview allows 5,000 REST requests a day per API client; a lookup spends three
 * (the person by id, by external id, their components). */
export const DAILY_REQUEST_LIMIT = 5000;

/**
 * Per-request timeout; Coachview documents none, and a result push is small. Shared with the grade
 * return's attempt timeout, which is derived from it (domain/grade-return/timeouts.ts).
 */
export const DEFAULT_TIMEOUT_MS = COACHVIEW_CALL_TIMEOUT_MS;

/** Renew an access token this long before `expires_in` runs out, so no call carries a dying token. */
export const TOKEN_RENEWAL_MARGIN_MS = 60_000;
