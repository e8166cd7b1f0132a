import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueConfig } from "./config";

/**
 * The photo queue as bull-board shows and operates it. Its own entry point,
 * so that only the API, which serves the dashboard, bundles bull-board.
 */
export function photoQueueDashboardAdapter(config: QueueConfig, connection: Redis): BullMQAdapter {
  return new BullMQAdapter(new Queue(config.name, { connection, prefix: config.prefix }));
}
