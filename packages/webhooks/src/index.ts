export { notifyConfigFromEnv, notifyEnvSchema, type DestinationPolicy, type NotifyConfig } from "./config";
export { deliver, type DeliveryAnswer, type DeliveryOptions } from "./deliver";
export {
  addressAllowed,
  checkDestination,
  DestinationRefused,
  parseNotifyUrl,
  type CheckedDestination,
  type Resolve,
} from "./destination";
export { ROTATION_GRACE_MS, webhookSecrets, type WebhookSecrets } from "./secrets";
export { newWebhookSecret, signWebhook } from "./signature";
