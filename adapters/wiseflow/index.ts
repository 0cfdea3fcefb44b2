/** WISEflow: the client the flow sync uses, its HTTP implementation, its webhooks and its types. */
export type {
  AccessToken,
  AssessorType,
  Flow,
  FlowAssessor,
  FlowExternalSource,
  FlowState,
  LicenseInfo,
  WiseflowClient,
  WiseflowUser,
} from './types';
export { createWiseflowClient, type WiseflowClientOptions } from './http-client';
export { EXTERNAL_ASSESSOR_ROLE, WISEFLOW } from './limits';
export {
  flowExternalSourceEventSchema,
  webhookEventSchema,
  WISEFLOW_SIGNATURE_HEADER,
  type FlowExternalSourceEvent,
  type WiseflowWebhookEvent,
} from './webhook';
