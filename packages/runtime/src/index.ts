export { createLogger, logEnvSchema, type Logger } from "./logger";
export { exitOnSignals } from "./shutdown";
export { createMetricsRegistry } from "./metrics";
