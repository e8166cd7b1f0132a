import { createPhotoQueue, createPhotoWorker, scheduleReconciler } from "@darkroom/queue";
import { createLogger, createMetricsRegistry, exitOnSignals } from "@darkroom/runtime";
import { createS3Client, createS3Storage, expireResumableUploads } from "@darkroom/storage";
import { lowerCpuPriority } from "./cpu-priority";
import { loadConfig } from "./env";
import { createPhotoJobHandler } from "./handle-photo-job";
import { createJobMetrics } from "./job-metrics";
import { startOpsServer } from "./ops-server";
import { reconcileOrphans } from "./reconcile-orphans";

const config = loadConfig();
const logger = createLogger("worker", config.logLevel);
lowerCpuPriority(config.nice);
const s3 = createS3Client(config.s3);
const storage = createS3Storage(config.s3, s3);

const metrics = createMetricsRegistry();
const logConnectionError = (error: Error) => logger.warn({ err: error }, "queue connection error");
// The producer side: the reconciler enqueues photos, and the handler asks whether one was deleted.
const photos = createPhotoQueue(config.queue, { onError: logConnectionError });
const worker = createPhotoWorker(
  config.queue,
  createPhotoJobHandler({
    storage,
    imaging: config.imaging,
    logger,
    metrics: createJobMetrics(metrics),
    isDeleted: (id) => photos.isDeleted(id),
  }),
  {
    concurrency: config.concurrency,
    lockMs: config.lockMs,
    stalledCheckMs: config.stalledCheckMs,
    onAttemptFailed: (uploadId, attemptsMade, error) =>
      logger.warn({ uploadId, attemptsMade, reason: error.message }, "job attempt failed"),
    onError: (error) => logger.error({ err: error }, "worker error"),
  },
);
// Probes answer from the start: a worker waiting for Redis is alive, not ready.
let connected = false;
const ops = await startOpsServer(metrics, { ...config.ops, isReady: () => connected && worker.isRunning() });
logger.info({ ops: ops.url }, "probes served");

async function housekeeping(): Promise<void> {
  await reconcileOrphans({ storage, queue: photos, logger, graceMs: config.reconcile.graceMs });
  const expired = await expireResumableUploads(config.s3, storage, config.resumableExpiryMs, s3);
  if (expired.aborted.length > 0 || expired.removed > 0)
    logger.info(
      { uploadIds: expired.aborted, bookkeeping: expired.removed },
      "expired resumable uploads removed",
    );
}
const reconciler = await scheduleReconciler(config.queue, housekeeping, {
  everyMs: config.reconcile.everyMs,
  onFailed: (error) => logger.warn({ err: error }, "housekeeping failed"),
  onError: logConnectionError,
});

await worker.ready();
connected = true;
logger.info({ ops: ops.url, queue: config.queue.name, concurrency: config.concurrency }, "worker ready");

// close() waits for the jobs in hand to finish; anything still running at a
// forced exit is picked up again by another worker as a stalled job.
exitOnSignals(logger, async () => {
  await Promise.all([worker.close(), reconciler.close()]);
  await Promise.all([photos.close(), ops.close()]);
});
