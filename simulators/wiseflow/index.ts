/** The WISEflow simulator: the public API's endpoints the Praktikportalen integration uses, with state, faults and /__admin. */
export {
  API_PREFIX,
  startWiseflowSimulator,
  TOKEN_PATH,
  type WiseflowSimulator,
  type WiseflowSimulatorOptions,
} from './server';
export {
  DEFAULT_ACCESS_TOKEN_SECONDS,
  DEFAULT_ASSESSOR_TYPES,
  EXTERNAL_ASSESSOR_ROLE,
  WiseflowState,
  type FlowRecord,
  type UserRecord,
  type WiseflowSeed,
} from './state';
export { RateLimiter, WISEFLOW_RATE_LIMITS, type RateLimits } from './rate-limit';
export {
  DELIVERY_ID_HEADER,
  WISEFLOW_RETRY_DELAYS_MS,
  WiseflowWebhooks,
  type WiseflowDelivery,
} from './webhooks';
