/** Coachview's limits as the adapter honours them. */

export const COACHVIEW = 'Coachview';

/** Coachview allows 5,000 REST requests a day per API client; a lookup spends two or three. */
export const DAILY_REQUEST_LIMIT = 5000;

/** Per-request timeout; Coachview documents none, and a result push is small. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** Renew an access token this long before `expires_in` runs out, so no call carries a dying token. */
export const TOKEN_RENEWAL_MARGIN_MS = 60_000;
