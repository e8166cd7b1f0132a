import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueConfig } from "./config";

/** The photo queue as bull-board shows and operates it. */
export function photoQueueDashboardAdapter(config: QueueConfig, connection: Redis): BullMQAdapter {
  return new BullMQAdapter(new Queue(config.name, { connection, prefix: config.prefix }));
}
