export { UnrecoverableError, type Job, type QueueEvents } from "bullmq";
export { queueConfigFromEnv, queueEnvSchema, type QueueConfig } from "./config";
export { createRedisConnection, type ConnectionRole } from "./connection";
export {
  createPhotoQueue,
  createPhotoQueueEvents,
  createPhotoWorker,
  type PhotoProcessor,
  type PhotoQueue,
  type PhotoWorker,
  type PhotoWorkerOptions,
} from "./photo-queue";
export { DEFAULT_JOB_OPTIONS, PROCESS_PHOTO, processPhotoJobSchema, type ProcessPhotoJob } from "./process-photo-job";
