/** Requests served per route (for the benchmark and tests that count calls). */
export class RequestCounters {
  #byRoute = new Map<string, number>();
  #firstAt: number | undefined;
  #lastAt: number | undefined;

  constructor(private readonly now: () => number) {}

  count(route: string): void {
    this.#byRoute.set(route, (this.#byRoute.get(route) ?? 0) + 1);
    const now = this.now();
    this.#firstAt ??= now;
    this.#lastAt = now;
  }

  snapshot(): { byRoute: Record<string, number>; total: number; firstAt?: string; lastAt?: string } {
    const byRoute = Object.fromEntries([...this.#byRoute.entries()].sort(([a], [b]) => a.localeCompare(b)));
    const total = [...this.#byRoute.values()].reduce((a, b) => a + b, 0);
    return {
      byRoute,
      total,
      ...(this.#firstAt !== undefined ? { firstAt: new Date(this.#firstAt).toISOString() } : {}),
      ...(this.#lastAt !== undefined ? { lastAt: new Date(this.#lastAt).toISOString() } : {}),
    };
  }

  reset(): void {
    this.#byRoute.clear();
    this.#firstAt = this.#lastAt = undefined;
  }
}
