export { anewspringWebhookSchema, type AnewspringWebhook } from './anewspring-payload';
export { iliasLpStatus, iliasWebhookSchema, type IliasWebhook } from './ilias-payload';
export {
  DELIVERY_ID_HEADER,
  signatureHeaders,
  signDelivery,
  verifyDelivery,
  type DeliveryCheck,
  type SignedDelivery,
} from './signature';
export { toCompletion, webhookSchemas, type PushSource, type WebhookPayload } from './to-completion';
