export { registerErrorHandler, registerWebhookAdmin } from './admin';
export { listen, type RunningSimulator } from './server';
export {
  signBody,
  WebhookSender,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookSenderOptions,
} from './webhook-sender';
