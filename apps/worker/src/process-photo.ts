import { ERROR_CATALOGUE, type ErrorDetail } from "@darkroom/contracts";
import { PermanentFailure, processUpload, writeFailure, type PipelineDeps } from "@darkroom/pipeline";
import {
  processPhotoJobSchema,
  UnrecoverableError,
  type Job,
  type PhotoProcessor,
  type ProcessPhotoJob,
} from "@darkroom/queue";
import type { Logger } from "@darkroom/runtime";

export interface ProcessPhotoDeps extends PipelineDeps {
  logger: Logger;
}

/**
 * The `process-photo` job: runs the pipeline on a stored original. Bad input
 * fails at once, with the reason recorded; passing faults are retried by
 * BullMQ, and recorded as failed on the last attempt.
 */
export function createProcessPhoto({ logger, ...deps }: ProcessPhotoDeps): PhotoProcessor {
  return async (job) => {
    const parsed = processPhotoJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Invalid job data: ${parsed.error.message}`);
    const upload = parsed.data;
    const log = logger.child({ uploadId: upload.id, attempt: job.attemptsMade + 1 });

    try {
      const manifest = await processUpload(deps, upload, "queued", {
        report: (progress) => job.updateProgress(progress),
      });
      log.info({ variants: manifest.variants.length }, "photo processed");
    } catch (error) {
      if (error instanceof PermanentFailure) {
        log.warn(error.detail, "photo cannot be processed");
        await writeFailure(deps.storage, upload, "queued", error.detail);
        throw new UnrecoverableError(error.message);
      }
      if (isLastAttempt(job)) await recordFinalFailure(deps, upload, error, log);
      throw error;
    }
  };
}

function isLastAttempt(job: Job<ProcessPhotoJob>): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

async function recordFinalFailure(
  { storage }: PipelineDeps,
  upload: ProcessPhotoJob,
  error: unknown,
  log: Logger,
) {
  log.error({ err: error }, "photo failed on its last attempt");
  // The reason itself stays in the logs: it can name internal hosts.
  const detail: ErrorDetail = {
    code: "PROCESSING_FAILED",
    message: ERROR_CATALOGUE.PROCESSING_FAILED.message,
  };
  try {
    await writeFailure(storage, upload, "queued", detail);
  } catch (manifestError) {
    // Status then falls back to the failed job kept in Redis.
    log.error({ err: manifestError }, "could not record the failure in S3");
  }
}
