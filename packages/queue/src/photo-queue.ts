import { Queue, QueueEvents, Worker, type Processor } from "bullmq";
import type { QueueConfig } from "./config";
import { createRedisConnection } from "./connection";
import { DEFAULT_JOB_OPTIONS, type PROCESS_PHOTO, type ProcessPhotoJob } from "./process-photo-job";

export type PhotoQueue = Queue<ProcessPhotoJob, void, typeof PROCESS_PHOTO>;
export type PhotoWorker = Worker<ProcessPhotoJob, void, typeof PROCESS_PHOTO>;
export type PhotoProcessor = Processor<ProcessPhotoJob, void, typeof PROCESS_PHOTO>;

/** The producer side, for the API: fails fast while Redis is down. */
export function createPhotoQueue(config: QueueConfig): PhotoQueue {
  return new Queue(config.name, {
    connection: createRedisConnection(config.redisUrl, "producer"),
    prefix: config.prefix,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
}

export interface PhotoWorkerOptions {
  /** Jobs run at once in this process. sharp is CPU-bound: match the cores it may use. */
  concurrency: number;
}

export function createPhotoWorker(
  config: QueueConfig,
  processor: PhotoProcessor,
  options: PhotoWorkerOptions,
): PhotoWorker {
  return new Worker(config.name, processor, {
    connection: createRedisConnection(config.redisUrl, "blocking"),
    prefix: config.prefix,
    concurrency: options.concurrency,
  });
}

/** Job events from every worker, read from Redis: what the API forwards to browsers. */
export function createPhotoQueueEvents(config: QueueConfig): QueueEvents {
  return new QueueEvents(config.name, {
    connection: createRedisConnection(config.redisUrl, "blocking"),
    prefix: config.prefix,
  });
}
