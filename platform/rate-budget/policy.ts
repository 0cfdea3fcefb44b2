/**
 * Rate budgets as pure rules (PLAT-16): what a budget allows, and for a take of `cost` units at
 * `now`, either a grant (with the state after it) or the time the units are available again. Both
 * stores (memory, PostgreSQL) follow these rules; times are milliseconds since the epoch.
 */

/** `limit` units per calendar day in `timeZone`, reset at local midnight (Coachview's 5,000 a day). */
export interface DailyPolicy {
  kind: 'daily';
  limit: number;
  timeZone: string;
}

/** `limit` units per fixed window of `windowMs`, windows aligned to the epoch (a UTC day, an hour, 5 s). */
export interface FixedWindowPolicy {
  kind: 'fixed-window';
  limit: number;
  windowMs: number;
}

/**
 * `limit` units per `perMs`, spent evenly: a token bucket holding at most `burst` units (kept as
 * the generic cell rate algorithm: one "theoretical arrival time" per budget). A take may be
 * granted a little ahead: the caller waits `waitMs`, its slot already reserved.
 */
export interface TokenBucketPolicy {
  kind: 'token-bucket';
  limit: number;
  perMs: number;
  burst: number;
}

export type BudgetPolicy = DailyPolicy | FixedWindowPolicy | TokenBucketPolicy;

/** A named budget as declared in configuration. */
export interface BudgetDefinition {
  name: string;
  policy: BudgetPolicy;
  /** Longest wait an activity spends in-process; longer waits go back to the workflow's durable timer. */
  maxWaitMs: number;
  /** Workflows waiting for this budget wake spread over this long after it is available again. */
  spreadMs: number;
}

/** What a store keeps per budget. A fresh budget is {@link EMPTY_STATE}. */
export interface BudgetState {
  /** Fixed windows: start of the window `used` counts in. */
  windowStart: number;
  used: number;
  /** Token bucket: the theoretical arrival time of the next unit. */
  tat: number;
  /** Nothing is granted before this (the outside API answered 429 with Retry-After). */
  blockedUntil: number;
}

export const EMPTY_STATE: BudgetState = { windowStart: 0, used: 0, tat: 0, blockedUntil: 0 };

export type Decision =
  | { granted: true; state: BudgetState; waitMs: number }
  /** `limit`: the budget's own count is spent; `api`: the outside API asked to wait (429). */
  | { granted: false; availableAt: number; spentBy: 'limit' | 'api' };

export interface Window {
  start: number;
  end: number;
}

/** The largest take a budget can ever grant; a larger one is a programming error, not a wait. */
export function capacityOf(policy: BudgetPolicy): number {
  return policy.kind === 'token-bucket' ? policy.burst : policy.limit;
}

export function checkCost(name: string, policy: BudgetPolicy, cost: number): void {
  if (!Number.isInteger(cost) || cost < 1 || cost > capacityOf(policy)) {
    throw new RangeError(
      `rate budget ${name}: a take of ${cost} units can never be granted (1..${capacityOf(policy)})`,
    );
  }
}

/** The fixed window (daily or epoch-aligned) that holds `at`. */
export function windowOf(policy: DailyPolicy | FixedWindowPolicy, at: number): Window {
  if (policy.kind === 'fixed-window') {
    const start = Math.floor(at / policy.windowMs) * policy.windowMs;
    return { start, end: start + policy.windowMs };
  }
  const { year, month, day } = localParts(policy.timeZone, at);
  const start = startOfLocalDay(policy.timeZone, year, month, day);
  // Day + 1 in UTC arithmetic rolls months and years over; the local midnight is found from there.
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  const end = startOfLocalDay(
    policy.timeZone,
    next.getUTCFullYear(),
    next.getUTCMonth() + 1,
    next.getUTCDate(),
  );
  return { start, end };
}

/**
 * Takes `cost` units at `now`. `maxWaitMs` lets a token bucket grant a slot that starts up to that
 * far ahead (the caller waits for it); fixed windows grant now or not at all.
 */
export function take(
  definition: Pick<BudgetDefinition, 'name' | 'policy'>,
  state: BudgetState,
  now: number,
  cost: number,
  maxWaitMs = 0,
): Decision {
  const { name, policy } = definition;
  checkCost(name, policy, cost);
  if (state.blockedUntil > now) return { granted: false, availableAt: state.blockedUntil, spentBy: 'api' };
  if (policy.kind === 'token-bucket') {
    const interval = policy.perMs / policy.limit;
    const tat = Math.max(state.tat, now) + cost * interval;
    const allowedAt = tat - policy.burst * interval;
    if (allowedAt > now + maxWaitMs) return { granted: false, availableAt: allowedAt, spentBy: 'limit' };
    return { granted: true, state: { ...state, tat }, waitMs: Math.max(0, allowedAt - now) };
  }
  const current = windowOf(policy, now).start;
  // A process whose clock lags a little behind counts in the newest window any process has seen.
  const windowStart = Math.max(current, state.windowStart);
  const used = (state.windowStart >= current ? state.used : 0) + cost;
  if (used > policy.limit) {
    return { granted: false, availableAt: windowOf(policy, windowStart).end, spentBy: 'limit' };
  }
  return { granted: true, state: { ...state, windowStart, used }, waitMs: 0 };
}

/** The outside API said "no more until `until`": nothing is granted before then. */
export function markSpent(state: BudgetState, until: number): BudgetState {
  return { ...state, blockedUntil: Math.max(state.blockedUntil, until) };
}

/** Units left in the current window or bucket at `now`, for status pages and logs. */
export function remaining(policy: BudgetPolicy, state: BudgetState, now: number): number {
  if (state.blockedUntil > now) return 0;
  if (policy.kind === 'token-bucket') {
    const interval = policy.perMs / policy.limit;
    return Math.max(0, Math.floor(policy.burst - Math.max(0, state.tat - now) / interval));
  }
  const current = windowOf(policy, now).start;
  return Math.max(0, policy.limit - (state.windowStart >= current ? state.used : 0));
}

/**
 * A deterministic point in [0, spreadMs) for `key` (a workflow id and its wait number), so that
 * thousands of workflows waiting for the same budget do not all wake in the same second. FNV-1a
 * with Murmur3's finalizer: pure arithmetic, safe in workflow code.
 */
export function spreadOffset(key: string, spreadMs: number): number {
  if (spreadMs <= 0) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // Murmur3's finalizer: keys that differ in their last characters land far apart.
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  hash = (hash ^ (hash >>> 16)) >>> 0;
  return Math.floor((hash / 0x1_0000_0000) * spreadMs);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function localParts(timeZone: string, at: number) {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far the zone's wall clock is ahead of UTC at `at`. */
function offsetAt(timeZone: string, at: number): number {
  const p = localParts(timeZone, at);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant the local day starts (midnight, or the first minute after it when DST skips midnight). */
export function startOfLocalDay(timeZone: string, year: number, month: number, day: number): number {
  const midnightAsUtc = Date.UTC(year, month - 1, day);
  let at = midnightAsUtc - offsetAt(timeZone, midnightAsUtc);
  // The offset at midnight may differ from the one at the guess (a DST change in between).
  const corrected = midnightAsUtc - offsetAt(timeZone, at);
  if (corrected !== at) at = corrected;
  // Where a DST change skips midnight (an hour, in every zone that does), that is 23:00 the day
  // before: the day starts at the change, an hour later.
  if (localParts(timeZone, at).day !== day) at += 60 * 60 * 1000;
  return at;
}
