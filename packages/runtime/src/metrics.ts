import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * A registry with the process metrics every Node service should export:
 * memory, CPU, event-loop lag (its percentiles cover the time since the
 * last scrape). Each app adds its own.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  return registry;
}
