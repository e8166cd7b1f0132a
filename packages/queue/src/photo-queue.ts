import { Queue, QueueEvents, QueueKeys, Worker, type ConnectionOptions, type Processor } from "bullmq";
import type { QueueConfig } from "./config";
import { createProducerConnection } from "./connection";
import { DEFAULT_JOB_OPTIONS, type PROCESS_PHOTO, type ProcessPhotoJob } from "./process-photo-job";

export type PhotoQueue = Queue<ProcessPhotoJob, void, typeof PROCESS_PHOTO>;
export type PhotoWorker = Worker<ProcessPhotoJob, void, typeof PROCESS_PHOTO>;
export type PhotoProcessor = Processor<ProcessPhotoJob, void, typeof PROCESS_PHOTO>;

/**
 * The producer side, for the API. Check the connection's `status` before
 * adding: BullMQ waits for a connection that has never been ready, and fails
 * fast only once it has been.
 */
export function createPhotoQueue(
  config: QueueConfig,
  connection: ConnectionOptions = createProducerConnection(config.redisUrl),
): PhotoQueue {
  return new Queue(config.name, {
    connection,
    prefix: config.prefix,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
}

export interface PhotoWorkerOptions {
  /** Jobs run at once in this process. sharp is CPU-bound: match the cores it may use. */
  concurrency: number;
  /** How long a lock on a job lasts; renewed at half this. A job whose lock expires has stalled. */
  lockMs: number;
  /** How often to look for stalled jobs. */
  stalledCheckMs: number;
}

export function createPhotoWorker(
  config: QueueConfig,
  processor: PhotoProcessor,
  options: PhotoWorkerOptions,
): PhotoWorker {
  return new Worker(config.name, processor, {
    connection: { url: config.redisUrl },
    prefix: config.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: options.stalledCheckMs,
    // A job whose worker died (its lock expired) goes back to the queue once;
    // a second time it fails, so a photo that kills workers cannot kill them all.
    maxStalledCount: 1,
  });
}

/** Job events from every worker, read from Redis: what the API forwards to browsers. */
export function createPhotoQueueEvents(config: QueueConfig): QueueEvents {
  return new QueueEvents(config.name, {
    connection: { url: config.redisUrl },
    prefix: config.prefix,
  });
}

/** The Redis list of jobs waiting for a worker: what an autoscaler such as KEDA watches. */
export function waitingListKey(config: Pick<QueueConfig, "name" | "prefix">): string {
  return new QueueKeys(config.prefix).toKey(config.name, "wait");
}
