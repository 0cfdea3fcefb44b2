/**
 * WISEflow's rate limits per credential set (REFERENCE.md): 200 requests a second and 5,000 a
 * minute, counted in fixed windows here. Every answer carries `RateLimit-*` and
 * `X-RateLimit-Second-*` / `X-RateLimit-Minute-*`; a refused request answers 429 with `Retry-After`.
 */
export interface RateLimits {
  perSecond: number;
  perMinute: number;
}

export const WISEFLOW_RATE_LIMITS: RateLimits = { perSecond: 200, perMinute: 5000 };

export type RateWindow = 'second' | 'minute';

export interface RateDecision {
  allowed: boolean;
  /** The window that refused the request. */
  refusedBy?: RateWindow;
  headers: Record<string, string>;
}

export class RateLimiter {
  limits: RateLimits;
  #second = { start: 0, count: 0 };
  #minute = { start: 0, count: 0 };
  /** Requests refused with 429, per window, since the last reset. */
  readonly refused: Record<RateWindow, number> = { second: 0, minute: 0 };

  constructor(limits: RateLimits = WISEFLOW_RATE_LIMITS) {
    this.limits = { ...limits };
  }

  reset(): void {
    this.#second = { start: 0, count: 0 };
    this.#minute = { start: 0, count: 0 };
    this.refused.second = this.refused.minute = 0;
  }

  /** Counts one request at `nowMs`; `forced` answers 429 as if that window were spent. */
  take(nowMs: number, forced?: RateWindow): RateDecision {
    const secondStart = Math.floor(nowMs / 1000) * 1000;
    const minuteStart = Math.floor(nowMs / 60_000) * 60_000;
    if (this.#second.start !== secondStart) this.#second = { start: secondStart, count: 0 };
    if (this.#minute.start !== minuteStart) this.#minute = { start: minuteStart, count: 0 };
    const secondFull = forced === 'second' || this.#second.count >= this.limits.perSecond;
    const minuteFull = forced === 'minute' || this.#minute.count >= this.limits.perMinute;
    const refusedBy: RateWindow | undefined = minuteFull ? 'minute' : secondFull ? 'second' : undefined;
    if (!refusedBy) {
      this.#second.count++;
      this.#minute.count++;
    } else {
      this.refused[refusedBy]++;
    }
    const secondReset = Math.max(1, Math.ceil((secondStart + 1000 - nowMs) / 1000));
    const minuteReset = Math.max(1, Math.ceil((minuteStart + 60_000 - nowMs) / 1000));
    const secondLeft = secondFull ? 0 : Math.max(0, this.limits.perSecond - this.#second.count);
    const minuteLeft = minuteFull ? 0 : Math.max(0, this.limits.perMinute - this.#minute.count);
    // `RateLimit-*` names the tighter of the two: the window that runs out first.
    const tight =
      refusedBy === 'minute' || (!refusedBy && minuteLeft < secondLeft)
        ? { limit: this.limits.perMinute, left: minuteLeft, reset: minuteReset }
        : { limit: this.limits.perSecond, left: secondLeft, reset: secondReset };
    const headers: Record<string, string> = {
      'ratelimit-limit': String(tight.limit),
      'ratelimit-remaining': String(tight.left),
      'ratelimit-reset': String(tight.reset),
      'x-ratelimit-second-limit': String(this.limits.perSecond),
      'x-ratelimit-second-remaining': String(secondLeft),
      'x-ratelimit-minute-limit': String(this.limits.perMinute),
      'x-ratelimit-minute-remaining': String(minuteLeft),
    };
    if (refusedBy) headers['retry-after'] = String(refusedBy === 'minute' ? minuteReset : secondReset);
    return { allowed: !refusedBy, refusedBy, headers };
  }
}
