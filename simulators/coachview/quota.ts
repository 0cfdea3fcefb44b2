/**
 * The REST API's request quota per client: by default a day that ends at midnight UTC; tests may
 * shorten the window (windows are aligned to the epoch, so a UTC day is one of them).
 */
export interface QuotaDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the quota resets, in seconds since the epoch. */
  resetAt: number;
}

/** Requests answered and refused (429) in one window, for tests that check a limit held. */
export interface QuotaWindow {
  clientId: string;
  windowStart: string;
  requests: number;
  refused: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class DailyQuota {
  #windows = new Map<string, QuotaWindow>();

  constructor(
    readonly limit: number,
    private readonly now: () => number,
    readonly windowMs: number = DAY_MS,
  ) {}

  consume(clientId: string): QuotaDecision {
    const start = Math.floor(this.now() / this.windowMs) * this.windowMs;
    const resetAt = Math.ceil((start + this.windowMs) / 1000);
    const window = this.#window(clientId, start);
    if (window.requests >= this.limit) {
      window.refused += 1;
      return { allowed: false, limit: this.limit, remaining: 0, resetAt };
    }
    window.requests += 1;
    return { allowed: true, limit: this.limit, remaining: this.limit - window.requests, resetAt };
  }

  /** Requests answered in the current window, by client. */
  usage(): Record<string, number> {
    const start = Math.floor(this.now() / this.windowMs) * this.windowMs;
    const current = [...this.#windows.values()].filter((w) => Date.parse(w.windowStart) === start);
    return Object.fromEntries(current.map((w) => [w.clientId, w.requests]));
  }

  /** Every window seen since the last reset, oldest first. */
  windows(): QuotaWindow[] {
    return [...this.#windows.values()].map((w) => ({ ...w }));
  }

  reset(): void {
    this.#windows.clear();
  }

  #window(clientId: string, start: number): QuotaWindow {
    const key = `${clientId} ${start}`;
    let window = this.#windows.get(key);
    if (!window) {
      window = { clientId, windowStart: new Date(start).toISOString(), requests: 0, refused: 0 };
      this.#windows.set(key, window);
    }
    return window;
  }
}
