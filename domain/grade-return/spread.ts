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

/**
 * The daily attempts' window in a time zone (GRADE_RETURN_ATTEMPT_WINDOW in COACHVIEW_TIME_ZONE), e.g.
 * `06:00-20:00` in Europe/Amsterdam: every run's slot lies inside it, at the same wall-clock time each
 * day. Computed by an activity (the workflow records the answer), so it may use the zone's rules.
 */
export interface ZonedAttemptWindow {
  /** Minutes after local midnight, start inclusive, end exclusive (`24:00` = 1440). */
  startMinute: number;
  endMinute: number;
  timeZone: string;
}

/** Parses `HH:MM-HH:MM` (end after start, `24:00` allowed as the end); null when it is not one. */
export function parseAttemptWindow(text: string): { startMinute: number; endMinute: number } | null {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [h1, m1, h2, m2] = m.slice(1).map(Number) as [number, number, number, number];
  if (m1 > 59 || m2 > 59 || h1 > 23 || h2 > 24 || (h2 === 24 && m2 !== 0)) return null;
  const startMinute = h1 * 60 + m1;
  const endMinute = h2 * 60 + m2;
  return endMinute > startMinute ? { startMinute, endMinute } : null;
}

/**
 * The next daily attempt after one that ended at `afterMs`, at the run's slot in the window on the
 * first local day at least {@link MIN_ATTEMPT_GAP_MS} later. On a day the clocks change the slot is
 * kept as time since local midnight, so it may be an hour off the usual wall-clock time that day.
 */
export function nextAttemptInWindow(
  afterMs: number,
  workflowId: string,
  window: ZonedAttemptWindow,
  startOfLocalDay: (timeZone: string, year: number, month: number, day: number) => number,
  localDate: (timeZone: string, at: number) => { year: number; month: number; day: number },
): number {
  const earliest = afterMs + MIN_ATTEMPT_GAP_MS;
  const slot =
    window.startMinute * 60_000 +
    hashShare(`attempt-slot:${workflowId}`, (window.endMinute - window.startMinute) * 60_000);
  const first = localDate(window.timeZone, earliest - DAY_MS);
  for (let d = 0; d < 4; d++) {
    const date = new Date(Date.UTC(first.year, first.month - 1, first.day + d));
    const at =
      startOfLocalDay(window.timeZone, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()) +
      slot;
    if (at >= earliest) return at;
  }
  return earliest;
}
