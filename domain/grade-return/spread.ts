/**
 * Spreading the daily attempts over the day (CV-6): each grade return attempts at its own time of day,
 * its slot, derived from its workflow id, so 10,000 runs started in the same minute (a Moodle poll, a
 * bulk import) do not all attempt in the same minute every day after. Pure and deterministic: the
 * workflow computes it again on replay. Loaded by workflow code: no imports that load zod.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** After an attempt, the next is at the run's slot on the first day at least this long after it. */
export const MIN_ATTEMPT_GAP_MS = 12 * 60 * 60 * 1000;

/** Where in the (UTC) day the slots lie: `lengthMs` from `startMs` after midnight UTC. */
export interface AttemptWindow {
  startMs: number;
  lengthMs: number;
}

/** The whole UTC day. */
export const DEFAULT_ATTEMPT_WINDOW: AttemptWindow = { startMs: 0, lengthMs: DAY_MS };

/** A uniform share of `lengthMs` from a key (FNV-1a with Murmur3's finalizer), the same on every replay. */
function hashShare(key: string, lengthMs: number): number {
  if (lengthMs <= 0) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  hash = (hash ^ (hash >>> 16)) >>> 0;
  return Math.floor((hash / 0x1_0000_0000) * lengthMs);
}

/** The run's time of day (ms after midnight UTC): the window's start plus a hash of the workflow id. */
export function attemptSlotOfDay(workflowId: string, window: AttemptWindow = DEFAULT_ATTEMPT_WINDOW): number {
  const length = Math.min(Math.max(window.lengthMs, 0), DAY_MS);
  return (((window.startMs + hashShare(`attempt-slot:${workflowId}`, length)) % DAY_MS) + DAY_MS) % DAY_MS;
}

/**
 * When the next daily attempt runs after one that ended at `afterMs`: the run's slot on the first day
 * at least {@link MIN_ATTEMPT_GAP_MS} later. The first gap is 12 to 36 hours; from then on attempts are
 * 24 hours apart, one a day at the run's own time.
 */
export function nextDailyAttemptAt(
  afterMs: number,
  workflowId: string,
  window: AttemptWindow = DEFAULT_ATTEMPT_WINDOW,
): number {
  const earliest = afterMs + MIN_ATTEMPT_GAP_MS;
  const slot = attemptSlotOfDay(workflowId, window);
  const at = Math.floor(earliest / DAY_MS) * DAY_MS + slot;
  return at >= earliest ? at : at + DAY_MS;
}
