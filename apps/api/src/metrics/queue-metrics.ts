import type { PhotoQueue } from "@darkroom/queue";
import { Gauge, type Registry } from "prom-client";

/**
 * The photo queue as the alerts read it (infra/prometheus/alerts.yml), from
 * Redis at each scrape: its depth by state, how long the job waiting longest
 * has waited, and the workers connected. While Redis is away there is no
 * reading at all rather than a stale one.
 */
export function registerQueueMetrics(queue: PhotoQueue, registry: Registry): void {
  new Gauge({
    name: "darkroom_queue_jobs",
    help: "Jobs in the photo queue, by state.",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await queue.counts().catch(() => undefined);
      for (const [state, count] of Object.entries(counts ?? {})) this.set({ state }, count);
    },
  });
  new Gauge({
    name: "darkroom_queue_oldest_waiting_seconds",
    help: "How long the job that has waited longest for a worker has waited; 0 when none waits.",
    registers: [registry],
    async collect() {
      this.reset();
      const reading = await queue.oldestWaitingSince().then(
        (since) => ({ since }),
        () => undefined,
      );
      if (reading) this.set(reading.since === undefined ? 0 : Math.max(0, Date.now() - reading.since) / 1000);
    },
  });
  new Gauge({
    name: "darkroom_queue_workers",
    help: "Worker processes connected to the photo queue.",
    registers: [registry],
    async collect() {
      this.reset();
      const workers = await queue.workerCount().catch(() => undefined);
      if (workers !== undefined) this.set(workers);
    },
  });
}
