import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueConfig } from "./config";
import { notifyQueueName } from "./notify-queue";

/**
 * The photo queue as bull-board shows and operates it. Its own entry point,
 * so that only the API, which serves the dashboard, bundles bull-board.
 */
export function photoQueueDashboardAdapter(config: QueueConfig, connection: Redis): BullMQAdapter {
  return new BullMQAdapter(new Queue(config.name, { connection, prefix: config.prefix }));
}

/** The webhooks' queue: its failed set is the deliveries that failed for good, which the admin can retry. */
export function notifyQueueDashboardAdapter(config: QueueConfig, connection: Redis): BullMQAdapter {
  return new BullMQAdapter(new Queue(notifyQueueName(config), { connection, prefix: config.prefix }));
}
