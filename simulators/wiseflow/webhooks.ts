/**
 * WISEflow's webhook deliveries: HMAC-SHA256 signed (the platform's `t=,v1=` scheme over
 * "<t>.<delivery id>.<body>", an assumption: docs/wiseflow-apis.md), at least once, retried on a
 * failed answer. WISEflow retries 8 times 15 minutes apart; the delays are an option so tests and the
 * demo wait seconds. A switch sends the next deliveries twice, as at-least-once allows.
 */
import { randomUUID } from 'node:crypto';
import { signBody, type WebhookAttempt, type WebhookDelivery } from '../elearning-common';
import { WISEFLOW_SIGNATURE_HEADER } from '../../adapters/wiseflow/webhook';

export const DELIVERY_ID_HEADER = 'X-Delivery-Id';
/** WISEflow's documented schedule: 8 retries, 15 minutes apart. */
export const WISEFLOW_RETRY_DELAYS_MS = Array.from({ length: 8 }, () => 15 * 60_000);

interface Registration {
  id: number;
  url: string;
  secret: string;
  events: string[];
  active: boolean;
}

export interface WiseflowDelivery extends WebhookDelivery {
  webhookId: number;
  event: string;
  /** True for the extra copy the duplicate switch sent. */
  duplicate?: boolean;
}

export class WiseflowWebhooks {
  readonly deliveries: WiseflowDelivery[] = [];
  retryDelaysMs: number[];
  /** The next N deliveries are sent twice with the same delivery id. */
  duplicateNext = 0;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(
    retryDelaysMs: number[] = WISEFLOW_RETRY_DELAYS_MS,
    private readonly timeoutMs = 5000,
  ) {
    this.retryDelaysMs = retryDelaysMs;
  }

  /** Sends an event to every active registration that asked for it; resolves when all have ended. */
  async send(
    registrations: Registration[],
    payload: { event: string; [key: string]: unknown },
  ): Promise<WiseflowDelivery[]> {
    const targets = registrations.filter((r) => r.active && r.events.includes(payload.event));
    const body = JSON.stringify(payload);
    const sent = targets.flatMap((r) => {
      const delivery: WiseflowDelivery = {
        deliveryId: randomUUID(),
        webhookId: r.id,
        event: payload.event,
        url: r.url,
        body,
        outcome: 'skipped',
        attempts: [],
      };
      this.deliveries.push(delivery);
      const copies = [this.#track(this.#deliver(delivery, r.secret))];
      if (this.duplicateNext > 0) {
        this.duplicateNext--;
        const copy: WiseflowDelivery = { ...delivery, attempts: [], duplicate: true };
        this.deliveries.push(copy);
        copies.push(this.#track(this.#deliver(copy, r.secret)));
      }
      return copies;
    });
    return Promise.all(sent);
  }

  /** Sends an earlier delivery again with its id, as a retry after a lost answer would. */
  async redeliver(deliveryId: string, registrations: Registration[]): Promise<WiseflowDelivery> {
    const earlier = this.deliveries.find((d) => d.deliveryId === deliveryId);
    if (!earlier) throw Object.assign(new Error(`no delivery ${deliveryId}`), { statusCode: 404 });
    const registration = registrations.find((r) => r.id === earlier.webhookId);
    if (!registration)
      throw Object.assign(new Error(`webhook ${earlier.webhookId} is gone`), { statusCode: 409 });
    const again: WiseflowDelivery = { ...earlier, attempts: [], outcome: 'skipped', duplicate: true };
    this.deliveries.push(again);
    return this.#track(this.#deliver(again, registration.secret));
  }

  /** Waits until every delivery (with its retries) has ended. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  reset(): void {
    this.deliveries.length = 0;
    this.duplicateNext = 0;
  }

  /** Stops waiting retries: a closed simulator sends nothing more. */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
    return p;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#timers.delete(t);
        resolve();
      }, ms);
      this.#timers.add(t);
    });
  }

  async #deliver(delivery: WiseflowDelivery, secret: string): Promise<WiseflowDelivery> {
    const delays = this.retryDelaysMs;
    for (let attempt = 1; attempt <= delays.length + 1 && !this.#closed; attempt++) {
      const record: WebhookAttempt = {
        deliveryId: delivery.deliveryId,
        url: delivery.url ?? '',
        attempt,
        at: new Date().toISOString(),
      };
      delivery.attempts.push(record);
      try {
        const res = await fetch(delivery.url ?? '', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [WISEFLOW_SIGNATURE_HEADER]: signBody(
              delivery.body,
              secret,
              delivery.deliveryId,
              Math.floor(Date.now() / 1000),
            ),
            [DELIVERY_ID_HEADER]: delivery.deliveryId,
          },
          body: delivery.body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        record.status = res.status;
        record.response = (await res.text()).slice(0, 500);
        if (res.ok) {
          delivery.outcome = 'delivered';
          return delivery;
        }
      } catch (err) {
        record.error = err instanceof Error ? err.message : String(err);
      }
      const wait = delays[attempt - 1];
      if (wait !== undefined && !this.#closed) await this.#sleep(wait);
    }
    delivery.outcome = 'failed';
    return delivery;
  }
}
