import type { WebhookDelivery, WebhookSender } from './webhook-sender';

/**
 * Users and courses of a system that pushes what learners do as signed webhooks (Ilias, aNewSpring);
 * `settled()` waits for the deliveries still under way (the simulator's close waits for them).
 */
export abstract class PushingState<UserKey, User, CourseKey, Course> {
  readonly users = new Map<UserKey, User>();
  readonly courses = new Map<CourseKey, Course>();
  readonly #pending = new Set<Promise<unknown>>();

  constructor(readonly webhook: WebhookSender) {}

  /** Posts one event (with retries); resolves when the delivery has ended. */
  protected async push(event: unknown): Promise<WebhookDelivery> {
    const sending = this.webhook.deliver(event);
    this.#pending.add(sending);
    try {
      return await sending;
    } finally {
      this.#pending.delete(sending);
    }
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }
}
