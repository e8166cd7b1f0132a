import { setPriority } from "node:os";
import { createPhotoWorker } from "@darkroom/queue";
import { createLogger, exitOnSignals } from "@darkroom/runtime";
import { createS3Storage } from "@darkroom/storage";
import { loadConfig } from "./env";
import { createProcessPhoto } from "./process-photo";

const config = loadConfig();
const logger = createLogger("worker", config.logLevel);
setPriority(config.nice);
const storage = createS3Storage(config.s3);

const worker = createPhotoWorker(
  config.queue,
  createProcessPhoto({ storage, imaging: config.imaging, logger }),
  { concurrency: config.concurrency },
);
worker.on("failed", (job, error) => {
  logger.warn(
    { uploadId: job?.id, attemptsMade: job?.attemptsMade, reason: error.message },
    "job attempt failed",
  );
});
worker.on("error", (error) => logger.error({ err: error }, "worker error"));
await worker.waitUntilReady();
logger.info({ queue: config.queue.name, concurrency: config.concurrency }, "worker ready");

// close() waits for the jobs in hand to finish; anything still running at a
// forced exit is picked up again by another worker as a stalled job.
exitOnSignals(logger, () => worker.close());
