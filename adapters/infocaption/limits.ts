/** InfoCaption's paths and limits as the adapter honours them (docs/infocaption-winlas-apis.md). */
export const INFOCAPTION = 'InfoCaption';

export const TOKEN_PATH = '/oauth2/token';
export const GUIDES_PATH = '/API/public/guides';
/** Modelled: InfoCaption publishes no participants-and-results endpoint. */
export const courseResultsPath = (guideId: number): string => `${GUIDES_PATH}/${guideId}/results`;

export const DEFAULT_TIMEOUT_MS = 15_000;
/** Renew an access token this long before `expires_in` runs out, so no call carries a dying token. */
export const TOKEN_RENEWAL_MARGIN_MS = 60_000;
/** Largest pages the listings answer (assumed). */
export const MAX_GUIDES_PER_PAGE = 100;
export const MAX_RESULTS_PER_PAGE = 1000;
