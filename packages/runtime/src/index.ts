export { createLogger, logEnvSchema, type Logger } from "./logger";
export { exitOnSignals } from "./shutdown";
export { createMetricsRegistry } from "./metrics";
export {
  isPlaceholderSecret,
  nodeEnvSchema,
  refusePlaceholderSecrets,
  secretSettings,
  type SecretSetting,
} from "./placeholder-secrets";
