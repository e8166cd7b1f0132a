import { ERROR_CATALOGUE, type ErrorDetail } from "@darkroom/contracts";
import { discardUpload, PermanentFailure, processUpload, type PipelineDeps } from "@darkroom/pipeline";
import {
  PhotoJobFailure,
  processPhotoJobSchema,
  type PhotoJobHandler,
  type ProcessPhotoJob,
} from "@darkroom/queue";
import type { Logger } from "@darkroom/runtime";
import { StorageUnavailableError } from "@darkroom/storage";
import type { JobMetrics } from "./job-metrics";
import type { NotifyOnFinish } from "./notifications/notify-on-finish";
import { recordFailure, untagOriginal } from "./original-tags";

export interface PhotoJobDeps extends PipelineDeps {
  logger: Logger;
  metrics: JobMetrics;
  /** Whether the owner deleted the upload meanwhile: then the work is thrown away. */
  isDeleted: (id: string) => Promise<boolean>;
  /** Queues the webhook an upload asked for once it has ended, completed or failed for good. */
  notify?: NotifyOnFinish;
}

/**
 * The `process-photo` job: runs the pipeline on a stored original. Bad input
 * fails at once, with the reason recorded; passing faults are tried again,
 * and recorded as failed on the last attempt.
 */
export function createPhotoJobHandler({
  logger,
  metrics,
  isDeleted,
  notify = () => Promise.resolve(),
  ...deps
}: PhotoJobDeps): PhotoJobHandler {
  return async (run) => {
    const parsed = processPhotoJobSchema.safeParse(run.data);
    if (!parsed.success) {
      logger.error({ issues: parsed.error.issues }, "job data is not a process-photo job");
      throw new PhotoJobFailure({ code: "PROCESSING_FAILED", message: "The job's data is not valid." });
    }
    const upload = parsed.data;
    const log = logger.child({
      uploadId: upload.id,
      requestId: upload.requestId,
      attempt: run.attemptsStarted,
    });
    const timer = metrics.start();
    if (run.attemptsStarted > 1) await untagOriginal(deps.storage, upload, log);
    /** An upload deleted while it was processed: what was written for it goes too, whatever the outcome. */
    const discardedIfDeleted = async () => {
      if (!(await isDeleted(upload.id))) return false;
      await discardUpload(deps.storage, upload.id);
      log.info("upload deleted by its owner while processed: its work is thrown away");
      return true;
    };

    try {
      const manifest = await processUpload(deps, upload, upload.mode ?? "queued", {
        report: (progress) => {
          timer.reached(progress);
          return run.reportProgress({
            ...progress,
            attempt: run.attemptsStarted,
            mode: upload.mode ?? "queued",
          });
        },
      });
      timer.finished("completed");
      if (await discardedIfDeleted()) return;
      log.info({ variants: manifest.variants.length }, "photo processed");
      await notify(upload, { status: "completed" }, log);
    } catch (error) {
      if (await discardedIfDeleted()) return;
      if (error instanceof PermanentFailure) {
        timer.finished("failed", error.detail.code);
        log.warn(error.detail, "photo cannot be processed");
        await recordFailure(deps.storage, upload, error.detail, log);
        await notify(upload, { status: "failed", error: error.detail }, log);
        throw new PhotoJobFailure(error.detail);
      }
      const code = error instanceof StorageUnavailableError ? "STORAGE_UNAVAILABLE" : "PROCESSING_FAILED";
      if (!run.isLastAttempt) {
        timer.finished("retried", code);
        throw error;
      }
      timer.finished("failed", code);
      const detail = await recordFinalFailure(deps, upload, code, error, log);
      await notify(upload, { status: "failed", error: detail }, log);
      throw new PhotoJobFailure(detail, { cause: error });
    }
  };
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
