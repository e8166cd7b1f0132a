export { UnrecoverableError, type Job, type QueueEvents } from "bullmq";
export type { Redis } from "ioredis";
export { queueConfigFromEnv, queueEnvSchema, type QueueConfig } from "./config";
export { createProducerConnection } from "./connection";
export { formatFailureReason, parseFailureReason } from "./failure-reason";
export { createMaintenanceWorker, RECONCILE_ORPHANS, scheduleReconciler } from "./maintenance-queue";
export {
  createPhotoQueue,
  createPhotoQueueEvents,
  createPhotoWorker,
  type PhotoProcessor,
  type PhotoQueue,
  type PhotoWorker,
  type PhotoWorkerOptions,
  waitingListKey,
} from "./photo-queue";
export {
  DEFAULT_JOB_OPTIONS,
  PROCESS_PHOTO,
  processPhotoJobSchema,
  type ProcessPhotoJob,
} from "./process-photo-job";
