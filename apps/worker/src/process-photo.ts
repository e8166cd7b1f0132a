import {
  FORMAT_MIME_TYPES,
  type ErrorDetail,
  type JobProgress,
  type StoredVariant,
  type UploadManifest,
} from "@darkroom/contracts";
import { ImageRejectedError, renderVariants, type ImagingOptions } from "@darkroom/imaging";
import {
  processPhotoJobSchema,
  UnrecoverableError,
  type Job,
  type PhotoProcessor,
  type ProcessPhotoJob,
} from "@darkroom/queue";
import type { Logger } from "@darkroom/runtime";
import { ObjectNotFoundError, objectKeys, writeManifest, type ObjectStorage } from "@darkroom/storage";

export interface ProcessPhotoDeps {
  storage: ObjectStorage;
  imaging: ImagingOptions;
  logger: Logger;
}

/** Progress, in percent, at the start of each stage. Resizing spreads between its bounds. */
const STAGE_PERCENT = { downloading: 5, decoding: 15, resizing: 30, storing: 85 } as const;

/**
 * The `process-photo` job: original from S3, variants rendered, variants and
 * manifest back to S3. Every step writes the same keys, so a retry after a
 * crash overwrites rather than duplicates.
 */
export function createProcessPhoto({ storage, imaging, logger }: ProcessPhotoDeps): PhotoProcessor {
  return async (job) => {
    const parsed = processPhotoJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Invalid job data: ${parsed.error.message}`);
    const upload = parsed.data;
    const log = logger.child({ uploadId: upload.id, attempt: job.attemptsMade + 1 });
    const report = (progress: JobProgress) => job.updateProgress(progress);

    try {
      await report({ stage: "downloading", percent: STAGE_PERCENT.downloading });
      const original = await storage.getBuffer(upload.originalKey);

      await report({ stage: "decoding", percent: STAGE_PERCENT.decoding });
      const sizes = imaging.variants.length;
      let rendered = 0;
      const images = await renderVariants(original, imaging, (variant) => {
        const span = STAGE_PERCENT.storing - STAGE_PERCENT.resizing;
        const percent = STAGE_PERCENT.resizing + Math.round((span * rendered++) / sizes);
        return report({ stage: "resizing", variant, percent });
      });

      await report({ stage: "storing", percent: STAGE_PERCENT.storing });
      const variants = await Promise.all(
        images.map(async ({ data, ...image }): Promise<StoredVariant> => {
          const key = objectKeys.variant(upload.id, image.name, image.format);
          await storage.put(key, data, FORMAT_MIME_TYPES[image.format]);
          return { ...image, bytes: data.byteLength, key };
        }),
      );
      await writeManifest(storage, manifestFor(upload, { status: "completed", variants }));
      log.info({ variants: variants.length }, "photo processed");
    } catch (error) {
      const permanent = permanentFailure(error);
      if (permanent) {
        log.warn(permanent, "photo cannot be processed");
        await writeManifest(storage, manifestFor(upload, { status: "failed", error: permanent }));
        throw new UnrecoverableError(permanent.message);
      }
      if (isLastAttempt(job)) await recordFinalFailure(storage, upload, error, log);
      throw error;
    }
  };
}

function isLastAttempt(job: Job<ProcessPhotoJob>): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

async function recordFinalFailure(
  storage: ObjectStorage,
  upload: ProcessPhotoJob,
  error: unknown,
  log: Logger,
) {
  log.error({ err: error }, "photo failed on its last attempt");
  const message = error instanceof Error ? error.message : String(error);
  try {
    await writeManifest(
      storage,
      manifestFor(upload, { status: "failed", error: { code: "PROCESSING_FAILED", message } }),
    );
  } catch (manifestError) {
    // Status then falls back to the failed job kept in Redis.
    log.error({ err: manifestError }, "could not record the failure in S3");
  }
}

/** Failures that no retry can fix. */
function permanentFailure(error: unknown): ErrorDetail | undefined {
  if (error instanceof ImageRejectedError) return { code: error.code, message: error.message };
  // Only the original is ever read, and S3 reads are consistent: it is gone for good.
  if (error instanceof ObjectNotFoundError) {
    return { code: "PROCESSING_FAILED", message: "The original is no longer in storage." };
  }
  return undefined;
}

function manifestFor(
  upload: ProcessPhotoJob,
  outcome: { status: "completed"; variants: StoredVariant[] } | { status: "failed"; error: ErrorDetail },
): UploadManifest {
  return {
    id: upload.id,
    mode: "queued",
    original: {
      key: upload.originalKey,
      filename: upload.filename,
      contentType: upload.contentType,
      bytes: upload.bytes,
    },
    variants: [],
    uploadedAt: upload.uploadedAt,
    finishedAt: new Date().toISOString(),
    ...outcome,
  };
}
