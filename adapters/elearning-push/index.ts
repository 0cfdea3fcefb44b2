export { anewspringWebhookSchema, type AnewspringWebhook } from './anewspring-payload';
export { iliasLpStatus, iliasWebhookSchema, type IliasWebhook } from './ilias-payload';
export { signatureHeaders, signPayload, verifySignature } from './signature';
export { toCompletion, webhookSchemas, type PushSource, type WebhookPayload } from './to-completion';
