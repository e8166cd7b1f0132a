import type { ErrorDetail } from "@darkroom/contracts";
import { writeFailure } from "@darkroom/pipeline";
import type { ProcessPhotoJob } from "@darkroom/queue";
import type { Logger } from "@darkroom/runtime";
import { failedOriginalTag, ObjectNotFoundError, type ObjectStorage } from "@darkroom/storage";

/**
 * Records that an upload failed for good: its failure manifest, so that its
 * status outlives the job, and a tag on its original, by which the bucket's
 * lifecycle rule expires it (infra/minio/lifecycle.json).
 */
export async function recordFailure(
  storage: ObjectStorage,
  upload: ProcessPhotoJob,
  error: ErrorDetail,
  log: Logger,
): Promise<void> {
  await writeFailure(storage, upload, upload.mode ?? "queued", error);
  await tagOriginal(storage, upload, { [failedOriginalTag.key]: failedOriginalTag.value }, log);
}

/** An upload run again, perhaps after it failed: its original is not one to expire. */
export function untagOriginal(storage: ObjectStorage, upload: ProcessPhotoJob, log: Logger): Promise<void> {
  return tagOriginal(storage, upload, {}, log);
}

/**
 * Best effort: on a store without object tagging the original is merely
 * kept, and how a job ends must not depend on its tags.
 */
async function tagOriginal(
  storage: ObjectStorage,
  upload: ProcessPhotoJob,
  tags: Record<string, string>,
  log: Logger,
): Promise<void> {
  try {
    await storage.setTags(upload.originalKey, tags);
  } catch (error) {
    // A missing original is no news: it may be why the upload failed.
    if (!(error instanceof ObjectNotFoundError))
      log.warn({ err: error, tags }, "could not tag the original for the bucket's lifecycle rule");
  }
}
