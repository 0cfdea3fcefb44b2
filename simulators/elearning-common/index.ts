export { registerErrorHandler, registerWebhookAdmin } from './admin';
export { Faults, faultSettingsSchema, registerFaults, type FaultSettings } from './faults';
export { listen, type RunningSimulator } from './server';
export {
  signBody,
  WebhookSender,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookSenderOptions,
} from './webhook-sender';
