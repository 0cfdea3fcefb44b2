export { registerErrorHandler, registerWebhookAdmin } from './admin';
export { PushingState } from './pushing-state';
export {
  listen,
  startPushingSimulator,
  type PushingSimulator,
  type PushingSimulatorOptions,
  type PushingSimulatorSetup,
  type RunningSimulator,
} from './server';
export {
  signBody,
  WebhookSender,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookSenderOptions,
} from './webhook-sender';
