import {
  createNotifyQueue,
  createNotifyWorker,
  createPhotoQueue,
  createPhotoWorker,
  scheduleReconciler,
} from "@darkroom/queue";
import { createRenderPool } from "@darkroom/imaging";
import { createLogger, createMetricsRegistry, exitOnSignals } from "@darkroom/runtime";
import { createS3Client, createS3Storage, expireResumableUploads } from "@darkroom/storage";
import { webhookSecrets } from "@darkroom/webhooks";
import { Redis } from "ioredis";
import { lowerCpuPriority } from "./cpu-priority";
import { loadConfig } from "./env";
import { createPhotoJobHandler } from "./handle-photo-job";
import { createJobMetrics } from "./job-metrics";
import { createNotificationHandler } from "./notifications/deliver-notification";
import { createDeliveryMetrics } from "./notifications/delivery-metrics";
import { notifyOnFinish } from "./notifications/notify-on-finish";
import { notifyStalledFailures } from "./notifications/notify-stalled";
import { startOpsServer } from "./ops-server";
import { reconcileOrphans } from "./reconcile-orphans";

const config = loadConfig();
const logger = createLogger("worker", config.logLevel);
lowerCpuPriority(config.nice);
// Its threads start later, from this one: they inherit its lowered priority.
const renderPool = createRenderPool({
  ...config.renderPool,
  onError: (error) => logger.error({ err: error }, "render pool error"),
});
const s3 = createS3Client(config.s3);
const storage = createS3Storage(config.s3, s3);

const metrics = createMetricsRegistry();
const logConnectionError = (error: Error) => logger.warn({ err: error }, "queue connection error");
// The producer side: the reconciler enqueues photos, and the handler asks whether one was deleted.
const photos = createPhotoQueue(config.queue, { onError: logConnectionError });
// Webhooks: added when an upload ends, delivered by a queue of their own.
const notifications = createNotifyQueue(config.queue, { onError: logConnectionError });
const secretsConnection = new Redis(config.queue.redisUrl, { maxRetriesPerRequest: 1 });
secretsConnection.on("error", logConnectionError);
const notify = notifyOnFinish(notifications);
const stalledFailures = notifyStalledFailures(config.queue, photos, notify, logger);
const notifier = createNotifyWorker(
  config.queue,
  createNotificationHandler({
    secrets: webhookSecrets(secretsConnection, `${config.queue.prefix}:${config.queue.name}`),
    policy: config.notify.policy,
    timeoutMs: config.notify.timeoutMs,
    metrics: createDeliveryMetrics(metrics, () => notifications.failedCount()),
    logger,
  }),
  { ...config.notify, onError: (error) => logger.error({ err: error }, "notify worker error") },
);
const worker = createPhotoWorker(
  config.queue,
  createPhotoJobHandler({
    storage,
    imaging: config.imaging,
    render: renderPool.render,
    logger,
    metrics: createJobMetrics(metrics),
    isDeleted: (id) => photos.isDeleted(id),
    notify,
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
  await Promise.all([worker.close(), reconciler.close(), notifier.close(), stalledFailures.close()]);
  await Promise.all([renderPool.close(), photos.close(), notifications.close(), ops.close()]);
  await secretsConnection.quit();
});
