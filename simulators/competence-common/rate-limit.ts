/**
 * A request rate limit of N requests a second, counted in one-second windows aligned to the epoch (the
 * way both systems are assumed to count; docs/infocaption-winlas-apis.md). A refused request is not
 * counted as served. The peak of served requests in any one window lets a benchmark check a limit held.
 */
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until the next window, for Retry-After. */
  retryAfterSeconds: number;
}

export class PerSecondLimit {
  #windowStart = -1;
  #served = 0;
  #peak = 0;
  #refused = 0;

  constructor(
    /** Requests a second; null is no limit. */
    public perSecond: number | null,
    private readonly now: () => number,
  ) {}

  consume(): RateDecision {
    const now = this.now();
    const start = Math.floor(now / 1000) * 1000;
    if (start !== this.#windowStart) {
      this.#windowStart = start;
      this.#served = 0;
    }
    if (this.perSecond !== null && this.#served >= this.perSecond) {
      this.#refused += 1;
      return { allowed: false, retryAfterSeconds: 1 };
    }
    this.#served += 1;
    this.#peak = Math.max(this.#peak, this.#served);
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** The most requests served in one window, and how many were refused, since the last reset. */
  stats(): { perSecond: number | null; peakPerSecond: number; refused: number } {
    return { perSecond: this.perSecond, peakPerSecond: this.#peak, refused: this.#refused };
  }

  reset(): void {
    this.#windowStart = -1;
    this.#served = this.#peak = this.#refused = 0;
  }
}
