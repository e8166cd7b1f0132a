import { Queue, Worker, type Processor } from "bullmq";
import type { QueueConfig } from "./config";

/** The repeated job that finds uploads whose original is stored but which have no job. */
export const RECONCILE_ORPHANS = "reconcile-orphans";

export type MaintenanceQueue = Queue<void, unknown, typeof RECONCILE_ORPHANS>;

/** Housekeeping jobs, kept apart from photos so they never wait behind a backlog. */
const maintenanceQueueName = (config: QueueConfig) => `${config.name}-maintenance`;

/**
 * Schedules the reconciler every `everyMs`. Every worker process calls this at
 * start-up; the scheduler is one per queue, so the reconciler runs once per
 * interval however many workers there are.
 */
export async function scheduleReconciler(config: QueueConfig, everyMs: number): Promise<MaintenanceQueue> {
  const queue: MaintenanceQueue = new Queue(maintenanceQueueName(config), {
    connection: { url: config.redisUrl },
    prefix: config.prefix,
    defaultJobOptions: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  await queue.upsertJobScheduler(RECONCILE_ORPHANS, { every: everyMs }, { name: RECONCILE_ORPHANS });
  return queue;
}

export function createMaintenanceWorker(
  config: QueueConfig,
  processor: Processor<void, unknown, typeof RECONCILE_ORPHANS>,
): Worker<void, unknown, typeof RECONCILE_ORPHANS> {
  return new Worker(maintenanceQueueName(config), processor, {
    connection: { url: config.redisUrl },
    prefix: config.prefix,
    concurrency: 1,
  });
}
