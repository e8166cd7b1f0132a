import { ERROR_CATALOGUE, type ErrorDetail } from "@darkroom/contracts";
import { PermanentFailure, processUpload, type PipelineDeps } from "@darkroom/pipeline";
import {
  formatFailureReason,
  processPhotoJobSchema,
  UnrecoverableError,
  type Job,
  type PhotoProcessor,
  type ProcessPhotoJob,
} from "@darkroom/queue";
import type { Logger } from "@darkroom/runtime";
import { StorageUnavailableError } from "@darkroom/storage";
import type { JobMetrics } from "./job-metrics";
import { recordFailure, untagOriginal } from "./original-tags";

export interface ProcessPhotoDeps extends PipelineDeps {
  logger: Logger;
  metrics: JobMetrics;
}

/**
 * The `process-photo` job: runs the pipeline on a stored original. Bad input
 * fails at once, with the reason recorded; passing faults are retried by
 * BullMQ, and recorded as failed on the last attempt.
 */
export function createProcessPhoto({ logger, metrics, ...deps }: ProcessPhotoDeps): PhotoProcessor {
  return async (job) => {
    const parsed = processPhotoJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Invalid job data: ${parsed.error.message}`);
    const upload = parsed.data;
    const log = logger.child({
      uploadId: upload.id,
      requestId: upload.requestId,
      attempt: job.attemptsMade + 1,
    });
    const timer = metrics.start();
    if (job.attemptsStarted > 1) await untagOriginal(deps.storage, upload, log);

    try {
      const manifest = await processUpload(deps, upload, "queued", {
        report: (progress) => {
          timer.reached(progress);
          return job.updateProgress({ ...progress, attempt: job.attemptsStarted });
        },
      });
      timer.finished("completed");
      log.info({ variants: manifest.variants.length }, "photo processed");
    } catch (error) {
      if (error instanceof PermanentFailure) {
        timer.finished("failed", error.detail.code);
        log.warn(error.detail, "photo cannot be processed");
        await recordFailure(deps.storage, upload, error.detail, log);
        throw new UnrecoverableError(formatFailureReason(error.detail));
      }
      const code = error instanceof StorageUnavailableError ? "STORAGE_UNAVAILABLE" : "PROCESSING_FAILED";
      if (!isLastAttempt(job)) {
        timer.finished("retried", code);
        throw error;
      }
      timer.finished("failed", code);
      const detail = await recordFinalFailure(deps, upload, code, error, log);
      throw new Error(formatFailureReason(detail), { cause: error });
    }
  };
}

function isLastAttempt(job: Job<ProcessPhotoJob>): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** Records the failure in S3, and returns it as a client may see it: the cause itself can name internal hosts. */
async function recordFinalFailure(
  { storage }: PipelineDeps,
  upload: ProcessPhotoJob,
  code: "STORAGE_UNAVAILABLE" | "PROCESSING_FAILED",
  error: unknown,
  log: Logger,
): Promise<ErrorDetail> {
  log.error({ err: error }, "photo failed on its last attempt");
  const detail: ErrorDetail = { code, message: ERROR_CATALOGUE[code].message };
  try {
    await recordFailure(storage, upload, detail, log);
  } catch (manifestError) {
    // Status then falls back to the failed job kept in Redis.
    log.error({ err: manifestError }, "could not record the failure in S3");
  }
  return detail;
}
