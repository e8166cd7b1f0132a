import {
  createMaintenanceWorker,
  createPhotoQueue,
  createPhotoWorker,
  scheduleReconciler,
} from "@darkroom/queue";
import { createLogger, createMetricsRegistry, exitOnSignals } from "@darkroom/runtime";
import { createS3Storage } from "@darkroom/storage";
import { lowerCpuPriority } from "./cpu-priority";
import { createJobMetrics } from "./job-metrics";
import { startOpsServer } from "./ops-server";
import { loadConfig } from "./env";
import { createProcessPhoto } from "./process-photo";
import { reconcileOrphans } from "./reconcile-orphans";

const config = loadConfig();
const logger = createLogger("worker", config.logLevel);
lowerCpuPriority(config.nice);
const storage = createS3Storage(config.s3);

const metrics = createMetricsRegistry();
const worker = createPhotoWorker(
  config.queue,
  createProcessPhoto({ storage, imaging: config.imaging, logger, metrics: createJobMetrics(metrics) }),
  { concurrency: config.concurrency, lockMs: config.lockMs, stalledCheckMs: config.stalledCheckMs },
);
worker.on("failed", (job, error) => {
  logger.warn(
    { uploadId: job?.id, attemptsMade: job?.attemptsMade, reason: error.message },
    "job attempt failed",
  );
});
worker.on("error", (error) => logger.error({ err: error }, "worker error"));
// Probes answer from the start: a worker waiting for Redis is alive, not ready.
let connected = false;
const ops = await startOpsServer(metrics, { ...config.ops, isReady: () => connected && worker.isRunning() });
logger.info({ ops: ops.url }, "probes served");

// The reconciler enqueues photos too, so it needs the photo queue's producer side.
const photos = createPhotoQueue(config.queue, { url: config.queue.redisUrl });
const maintenance = await scheduleReconciler(config.queue, config.reconcile.everyMs);
const reconciler = createMaintenanceWorker(config.queue, () =>
  reconcileOrphans({ storage, queue: photos, logger, graceMs: config.reconcile.graceMs }),
);
reconciler.on("failed", (_job, error) => logger.warn({ err: error }, "reconciling orphans failed"));
const logConnectionError = (error: Error) => logger.warn({ err: error }, "queue connection error");
photos.on("error", logConnectionError);
maintenance.on("error", logConnectionError);
reconciler.on("error", logConnectionError);

await worker.waitUntilReady();
connected = true;
logger.info({ ops: ops.url, queue: config.queue.name, concurrency: config.concurrency }, "worker ready");

// close() waits for the jobs in hand to finish; anything still running at a
// forced exit is picked up again by another worker as a stalled job.
exitOnSignals(logger, async () => {
  await Promise.all([worker.close(), reconciler.close()]);
  await Promise.all([photos.close(), maintenance.close(), ops.close()]);
});
