import type { SinkMessage } from './message';

interface Waiter {
  predicate: (m: SinkMessage) => boolean;
  resolve: (m: SinkMessage) => void;
}

/** Received mail in memory, oldest first, with waiters for tests that expect a mail to arrive. */
export class MessageStore {
  readonly #messages: SinkMessage[] = [];
  readonly #waiters = new Set<Waiter>();

  add(message: SinkMessage): void {
    this.#messages.push(message);
    for (const waiter of this.#waiters) {
      if (waiter.predicate(message)) {
        this.#waiters.delete(waiter);
        waiter.resolve(message);
      }
    }
  }

  list(): SinkMessage[] {
    return structuredClone(this.#messages);
  }

  get(id: string): SinkMessage | undefined {
    const found = this.#messages.find((m) => m.id === id);
    return found && structuredClone(found);
  }

  clear(): void {
    this.#messages.length = 0;
  }

  /** The first message, already received or still to come, that matches; rejects after `timeoutMs`. */
  waitFor(predicate: (m: SinkMessage) => boolean, timeoutMs: number): Promise<SinkMessage> {
    const existing = this.#messages.find(predicate);
    if (existing) return Promise.resolve(structuredClone(existing));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(structuredClone(m));
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new Error(
            `SMTP sink: no matching message within ${timeoutMs} ms (${this.#messages.length} received)`,
          ),
        );
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }
}
