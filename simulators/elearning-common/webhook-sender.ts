import { createHmac, randomUUID } from 'node:crypto';

export interface WebhookSenderOptions {
  /** Header that carries `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<delivery id>.<raw body>">`. */
  signatureHeader: string;
  secret: string;
  url?: string;
  /** Waits between attempts; its length + 1 is the number of attempts. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
}

export interface WebhookAttempt {
  deliveryId: string;
  url: string;
  attempt: number;
  at: string;
  status?: number;
  /** The start of the receiver's answer, for debugging deliveries. */
  response?: string;
  error?: string;
}

export interface WebhookDelivery {
  deliveryId: string;
  url: string | undefined;
  body: string;
  outcome: 'delivered' | 'rejected' | 'failed' | 'skipped';
  attempts: WebhookAttempt[];
}

const DEFAULT_RETRY_DELAYS_MS = [100, 500, 2000];
const RESPONSE_KEPT_CHARS = 500;

/** The sending side's signature: over the timestamp, the delivery id and the body, so neither can be replayed or swapped. */
export function signBody(body: string, secret: string, deliveryId: string, timestamp: number): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${deliveryId}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** The header that names a delivery; every retry of it keeps the id. */
export const DELIVERY_ID_HEADER = 'X-Delivery-Id';

/** Sends signed webhooks the way the e-learning systems do: retry on 5xx, 429 and connection errors, never on 4xx. */
export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  url: string | undefined;
  secret: string;
  /** Seconds added to this system's clock when signing: a sender with a skewed clock (fault switch). */
  clockOffsetSeconds = 0;
  readonly #opts: WebhookSenderOptions;

  constructor(opts: WebhookSenderOptions) {
    this.#opts = opts;
    this.url = opts.url;
    this.secret = opts.secret;
  }

  get attempts(): WebhookAttempt[] {
    return this.deliveries.flatMap((d) => d.attempts);
  }

  async deliver(payload: unknown): Promise<WebhookDelivery> {
    const body = JSON.stringify(payload);
    const delivery: WebhookDelivery = {
      deliveryId: randomUUID(),
      url: this.url,
      body,
      outcome: 'skipped',
      attempts: [],
    };
    this.deliveries.push(delivery);
    return this.#send(delivery);
  }

  /** Sends a delivery again with its id, as a system's "resend" does; the receiver must see a duplicate. */
  async redeliver(deliveryId: string): Promise<WebhookDelivery> {
    const earlier = this.deliveries.find((d) => d.deliveryId === deliveryId);
    if (!earlier) throw Object.assign(new Error(`no delivery ${deliveryId}`), { statusCode: 404 });
    const again: WebhookDelivery = { ...earlier, url: this.url, outcome: 'skipped', attempts: [] };
    this.deliveries.push(again);
    return this.#send(again);
  }

  async #send(delivery: WebhookDelivery): Promise<WebhookDelivery> {
    const { body } = delivery;
    const url = this.url;
    if (!url) return delivery;
    const delays = this.#opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    for (let attempt = 1; attempt <= delays.length + 1; attempt++) {
      const record: WebhookAttempt = {
        deliveryId: delivery.deliveryId,
        url,
        attempt,
        at: new Date().toISOString(),
      };
      delivery.attempts.push(record);
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            // Each attempt is signed anew: a retry after an outage must not look stale.
            [this.#opts.signatureHeader]: signBody(
              body,
              this.secret,
              delivery.deliveryId,
              Math.floor(Date.now() / 1000) + this.clockOffsetSeconds,
            ),
            [DELIVERY_ID_HEADER]: delivery.deliveryId,
          },
          body,
          signal: AbortSignal.timeout(this.#opts.timeoutMs ?? 5000),
        });
        record.status = res.status;
        record.response = (await res.text()).slice(0, RESPONSE_KEPT_CHARS);
        if (res.ok) {
          delivery.outcome = 'delivered';
          return delivery;
        }
        if (res.status < 500 && res.status !== 429) {
          delivery.outcome = 'rejected';
          return delivery;
        }
      } catch (err) {
        record.error = err instanceof Error ? err.message : String(err);
      }
      const wait = delays[attempt - 1];
      if (wait !== undefined) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    delivery.outcome = 'failed';
    return delivery;
  }
}
