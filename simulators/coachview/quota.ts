/** The REST API's daily request quota per client; the day ends at midnight UTC. */
export interface QuotaDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the quota resets, in seconds since the epoch. */
  resetAt: number;
}

export class DailyQuota {
  #used = new Map<string, { day: string; count: number }>();

  constructor(
    readonly limit: number,
    private readonly now: () => number,
  ) {}

  consume(clientId: string): QuotaDecision {
    const now = new Date(this.now());
    const day = now.toISOString().slice(0, 10);
    const entry = this.#used.get(clientId);
    const used = entry?.day === day ? entry.count : 0;
    const resetAt = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) / 1000;
    if (used >= this.limit) return { allowed: false, limit: this.limit, remaining: 0, resetAt };
    this.#used.set(clientId, { day, count: used + 1 });
    return { allowed: true, limit: this.limit, remaining: this.limit - used - 1, resetAt };
  }

  usage(): Record<string, number> {
    return Object.fromEntries([...this.#used].map(([clientId, { count }]) => [clientId, count]));
  }

  reset(): void {
    this.#used.clear();
  }
}
