/**
 * How long one daily attempt may run (docs/workflows.md). The workflow's start-to-close timeout is
 * derived from the Coachview adapter's per-call timeout and the calls an attempt makes, so the two
 * cannot drift apart. Plain constants: the workflow imports them.
 */

/** Each Coachview request times out after this long; Coachview documents none (adapters/coachview). */
export const COACHVIEW_CALL_TIMEOUT_MS = 15_000;

/**
 * The most requests one attempt makes: a registration lookup (person by id, by external id, their
 * components: 3), the push (1), the lookup again after a 404 (3), and the access token with one
 * renewal after a refused token (2).
 */
export const ATTEMPT_MAX_CALLS = 3 + 1 + 3 + 2;

/**
 * Start-to-close of one attempt: every call at its full timeout, twice over, because an attempt
 * that finds Coachview's rate budget spent may wait in-process for up to half of this
 * (platform/rate-budget/activity.ts) and the calls must still fit. 9 × 15 s × 2 = 270 s.
 */
export const ATTEMPT_START_TO_CLOSE_MS = 2 * ATTEMPT_MAX_CALLS * COACHVIEW_CALL_TIMEOUT_MS;

/** The attempt heartbeats this often while it runs (its calls have their own timeouts). */
export const ATTEMPT_HEARTBEAT_EVERY_MS = 5_000;

/** A worker that died mid-attempt is noticed after this, long before the start-to-close timeout. */
export const ATTEMPT_HEARTBEAT_TIMEOUT_MS = 4 * ATTEMPT_HEARTBEAT_EVERY_MS;
