import type { PhotoQueue } from "@darkroom/queue";
import { Gauge, type Registry } from "prom-client";

/** The photo queue's depth by state, read from Redis at each scrape. */
export function registerQueueMetrics(queue: PhotoQueue, registry: Registry): void {
  new Gauge({
    name: "darkroom_queue_jobs",
    help: "Jobs in the photo queue, by state.",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      this.reset();
      // Redis away: no reading at all rather than a stale one.
      const counts = await queue.counts().catch(() => undefined);
      for (const [state, count] of Object.entries(counts ?? {})) this.set({ state }, count);
    },
  });
}
