export { queueConfigFromEnv, queueEnvSchema, type QueueConfig } from "./config";
export { createProducerConnection, redisAvailable } from "./connection";
export { scheduleReconciler, type RepeatedTask } from "./maintenance-queue";
export {
  createNotifyQueue,
  createNotifyWorker,
  NotifyJobFailure,
  notifyJobFor,
  notifyJobSchema,
  type EndedUpload,
  type NotifyJob,
  type NotifyQueue,
  type NotifyRun,
  type NotifyWorker,
  type NotifyWorkerOptions,
  type UploadOutcome,
} from "./notify-queue";
export { listenToPhotoEvents, type PhotoEventListeners, type PhotoEvents } from "./photo-events";
export { BULK_OFFSET, type PriorityClass } from "./fair-order";
export { processPhotoJobSchema, type ProcessPhotoJob } from "./photo-job";
export {
  createPhotoQueue,
  photoQueueFromEnv,
  type FailedPhotoJob,
  type JobCounts,
  type PhotoJob,
  type PhotoJobState,
  type PhotoQueue,
  type PhotoQueueOptions,
  type WorkerPace,
} from "./photo-queue";
export {
  createPhotoWorker,
  PhotoJobFailure,
  type PhotoJobHandler,
  type PhotoJobRun,
  type PhotoWorker,
  type PhotoWorkerOptions,
} from "./photo-worker";
