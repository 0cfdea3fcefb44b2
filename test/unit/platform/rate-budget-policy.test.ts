/**
 * Rate budgets as pure rules (PLAT-16): windows, grants, waits and the spread of waking workflows,
 * without any store or clock.
 */
import {
  EMPTY_STATE,
  markSpent,
  remaining,
  spreadOffset,
  take,
  windowOf,
  type BudgetPolicy,
  type BudgetState,
  type DailyPolicy,
} from '../../../platform/rate-budget/policy';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const daily = (timeZone: string, limit = 3): DailyPolicy => ({ kind: 'daily', limit, timeZone });

function dayOf(timeZone: string, when: string): [string, string] {
  const w = windowOf(daily(timeZone), at(when));
  return [iso(w.start), iso(w.end)];
}

/** Takes one unit at a time until refused; returns how many were granted and the refusal. */
function drain(policy: BudgetPolicy, now: number, state: BudgetState = EMPTY_STATE) {
  let granted = 0;
  for (;;) {
    const d = take({ name: 'b', policy }, state, now, 1);
    if (!d.granted) return { granted, availableAt: d.availableAt, state };
    granted += 1;
    state = d.state;
  }
}

describe('daily windows', () => {
  it('[PLAT-16] a day in UTC runs from midnight to midnight UTC', () => {
    expect(dayOf('UTC', '2026-11-29T15:00:00Z')).toEqual([
      '2026-11-29T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ]);
    expect(dayOf('UTC', '2026-12-31T23:59:59.999Z')).toEqual([
      '2026-12-31T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
  });

  it('[PLAT-16] a day in Europe/Stockholm starts at local midnight, 23 or 25 hours long when the clocks change', () => {
    expect(dayOf('Europe/Stockholm', '2026-11-29T23:30:00Z')).toEqual([
      '2026-11-29T23:00:00.000Z',
      '2026-11-30T23:00:00.000Z',
    ]);
    expect(dayOf('Europe/Stockholm', '2026-03-29T12:00:00Z')).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ]);
    expect(dayOf('Europe/Stockholm', '2026-10-25T12:00:00Z')).toEqual([
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ]);
    expect(dayOf('Europe/Stockholm', '2026-12-31T23:30:00Z')).toEqual([
      '2026-12-31T23:00:00.000Z',
      '2027-01-01T23:00:00.000Z',
    ]);
  });

  it('[PLAT-16] where summer time skips midnight (America/Santiago) the day starts when the clocks jump', () => {
    expect(dayOf('America/Santiago', '2026-09-06T12:00:00Z')).toEqual([
      '2026-09-06T04:00:00.000Z',
      '2026-09-07T03:00:00.000Z',
    ]);
    expect(dayOf('America/Santiago', '2026-09-05T12:00:00Z')).toEqual([
      '2026-09-05T04:00:00.000Z',
      '2026-09-06T04:00:00.000Z',
    ]);
    expect(dayOf('America/Santiago', '2026-04-04T12:00:00Z')).toEqual([
      '2026-04-04T03:00:00.000Z',
      '2026-04-05T04:00:00.000Z',
    ]);
  });

  it('[PLAT-16] fixed windows are aligned to the epoch', () => {
    expect(windowOf({ kind: 'fixed-window', limit: 1, windowMs: 5000 }, 12_345)).toEqual({
      start: 10_000,
      end: 15_000,
    });
  });
});

describe('taking from fixed windows', () => {
  const policy = daily('Europe/Stockholm', 3);

  it('[PLAT-16] grants up to the limit, then refuses until the next local midnight, then grants again', () => {
    const now = at('2026-11-29T15:00:00Z');
    const first = drain(policy, now);
    expect(first.granted).toBe(3);
    expect(iso(first.availableAt)).toBe('2026-11-29T23:00:00.000Z');
    // Still refused one millisecond before midnight, granted at midnight.
    expect(take({ name: 'b', policy }, first.state, first.availableAt - 1, 1)).toEqual({
      granted: false,
      availableAt: first.availableAt,
      spentBy: 'limit',
    });
    expect(drain(policy, first.availableAt, first.state).granted).toBe(3);
  });

  it('[PLAT-16] a take of several units is granted whole or not at all', () => {
    const now = at('2026-11-29T15:00:00Z');
    const one = take({ name: 'b', policy }, EMPTY_STATE, now, 2);
    expect(one.granted).toBe(true);
    if (!one.granted) return;
    expect(take({ name: 'b', policy }, one.state, now, 2).granted).toBe(false);
    expect(take({ name: 'b', policy }, one.state, now, 1).granted).toBe(true);
    expect(() => take({ name: 'b', policy }, EMPTY_STATE, now, 4)).toThrow(/can never be granted/);
    expect(() => take({ name: 'b', policy }, EMPTY_STATE, now, 0)).toThrow(/can never be granted/);
  });

  it('[PLAT-16] a process whose clock lags behind counts in the newest window, never resetting it', () => {
    const newer = drain(policy, at('2026-11-30T00:00:01Z'));
    expect(newer.granted).toBe(3);
    // One second before that midnight by a lagging clock: the new day is still spent.
    const lagging = take({ name: 'b', policy }, newer.state, at('2026-11-29T22:59:59Z'), 1);
    expect(lagging).toEqual({ granted: false, availableAt: at('2026-11-30T23:00:00Z'), spentBy: 'limit' });
  });

  it('[PLAT-16] a 429 from the API (markSpent) refuses everything until then, also with units left', () => {
    const now = at('2026-11-29T15:00:00Z');
    const state = markSpent(EMPTY_STATE, now + 60_000);
    expect(take({ name: 'b', policy }, state, now, 1)).toEqual({
      granted: false,
      availableAt: now + 60_000,
      spentBy: 'api',
    });
    expect(remaining(policy, state, now)).toBe(0);
    expect(take({ name: 'b', policy }, state, now + 60_000, 1).granted).toBe(true);
    // An earlier Retry-After never shortens a longer one.
    expect(markSpent(state, now + 1000).blockedUntil).toBe(now + 60_000);
  });

  it('[PLAT-16] remaining counts what is left of the current window', () => {
    const now = at('2026-11-29T15:00:00Z');
    const d = take({ name: 'b', policy }, EMPTY_STATE, now, 2);
    if (!d.granted) throw new Error('refused');
    expect(remaining(policy, d.state, now)).toBe(1);
    expect(remaining(policy, d.state, at('2026-11-30T12:00:00Z'))).toBe(3);
  });
});

describe('taking from a token bucket', () => {
  // 200 a second, bursts of 20: one unit every 5 ms.
  const policy: BudgetPolicy = { kind: 'token-bucket', limit: 200, perMs: 1000, burst: 20 };
  const now = 1_000_000;

  it('[PLAT-16] grants the burst at once, then one unit per interval', () => {
    const first = drain(policy, now);
    expect(first.granted).toBe(20);
    expect(first.availableAt).toBe(now + 5);
    expect(drain(policy, now + 5, first.state).granted).toBe(1);
    expect(drain(policy, now + 50, first.state).granted).toBe(10);
    expect(drain(policy, now + 10_000, first.state).granted).toBe(20);
  });

  it('[PLAT-16] within maxWait a take is granted ahead: the caller waits for its reserved slot', () => {
    let state = drain(policy, now).state;
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const d = take({ name: 'b', policy }, state, now, 1, 15);
      if (!d.granted) break;
      waits.push(d.waitMs);
      state = d.state;
    }
    expect(waits).toEqual([5, 10, 15]);
  });

  it('[PLAT-16] never grants more than burst + rate x time in any span', () => {
    let state = EMPTY_STATE;
    let granted = 0;
    for (let t = now; t < now + 1000; t += 1) {
      for (;;) {
        const d = take({ name: 'b', policy }, state, t, 1);
        if (!d.granted) break;
        granted += 1;
        state = d.state;
      }
    }
    // 20 at once, then one per 5 ms over 999 ms.
    expect(granted).toBe(20 + 199);
    expect(remaining(policy, state, now + 999)).toBe(0);
  });
});

describe('spreading the workflows that wake', () => {
  it('[PLAT-16] each workflow gets its own, stable point within the spread', () => {
    const spreadMs = 30 * 60 * 1000;
    const offsets = Array.from({ length: 2000 }, (_, i) =>
      spreadOffset(`grade-return:moodle:2:P-${i}`, spreadMs),
    );
    expect(offsets.every((o) => o >= 0 && o < spreadMs)).toBe(true);
    expect(spreadOffset('grade-return:moodle:2:P-7', spreadMs)).toBe(offsets[7]);
    // 2,000 workflows over 1,800 seconds: no second holds more than a handful of them.
    const perSecond = new Map<number, number>();
    for (const o of offsets)
      perSecond.set(Math.floor(o / 1000), (perSecond.get(Math.floor(o / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(8);
    expect(perSecond.size).toBeGreaterThan(1000);
    expect(spreadOffset('x', 0)).toBe(0);
  });
});
