import { Router } from "express";
import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * The process metrics every Node service should export: memory, CPU,
 * event-loop lag (its percentiles cover the time since the last scrape).
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  return registry;
}

export function metricsRoutes(registry: Registry): Router {
  const router = Router();
  router.get("/metrics", async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
