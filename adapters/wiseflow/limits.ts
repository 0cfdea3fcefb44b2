/** WISEflow's name in errors and its documented limits (REFERENCE.md). */
export const WISEFLOW = 'WISEflow';
export const DEFAULT_TIMEOUT_MS = 15_000;
/** Renew the 1-hour token this long before it runs out. */
export const TOKEN_RENEWAL_MARGIN_MS = 5 * 60_000;
/** Assessor lists are read in pages of this many. */
export const PAGE_SIZE = 100;
/** The licence role that makes a user an external assessor, never an ordinary user (WF-1). */
export const EXTERNAL_ASSESSOR_ROLE = 'externalAssessor';
