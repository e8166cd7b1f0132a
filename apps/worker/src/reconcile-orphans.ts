import type { PhotoQueue, ProcessPhotoJob } from "@darkroom/queue";
import type { Logger } from "@darkroom/runtime";
import { checkStoredOriginal, OriginalRejectedError } from "@darkroom/pipeline";
import { objectKeys, originalMetadata, resumableUploadMetadata, type ObjectStorage } from "@darkroom/storage";
import { recordFailure } from "./original-tags";

export interface ReconcileDeps {
  storage: ObjectStorage;
  queue: PhotoQueue;
  logger: Logger;
  /** Originals younger than this may still be on their way to the queue. */
  graceMs: number;
}

export interface Reconciled {
  /** Uploads enqueued again: their original had neither manifest nor job. */
  requeued: string[];
  /** Failed jobs whose failure is now recorded in a manifest. */
  recorded: string[];
  /** Originals deleted because they are not an image we accept. */
  removed: string[];
}

/**
 * Finds originals that have no manifest, and settles them:
 * - with no job, it checks them as the API checks what a client stored
 *   (its type, from its first bytes), then enqueues them, or deletes one that
 *   is not an image. A process that dies between storing an original and
 *   enqueuing its job, or in the middle of a sync upload, leaves exactly that;
 *   so does a client that sent a direct upload and never completed it. That
 *   upload is kept, as the client evidently meant it to be. Nothing else would
 *   ever pick these up. Job ids are upload ids, so a job that appears
 *   meanwhile is never doubled. Size is not checked again: the API refused
 *   large bodies, and a signed PUT or a tus upload binds its length.
 * - with a failed job, it writes the failure manifest the worker could not:
 *   a job failed for stalling too often has no worker to write it, and a
 *   last attempt failed by S3 being away could not. Without it, the upload's
 *   status would vanish with the job, and the next run would enqueue it again.
 *
 * It lists every original and manifest, two keys per upload, a thousand per
 * request: fine for millions of photos. Beyond, read S3 Inventory instead.
 */
export async function reconcileOrphans({
  storage,
  queue,
  logger,
  graceMs,
}: ReconcileDeps): Promise<Reconciled> {
  const [originals, manifests] = await Promise.all([
    storage.listObjects(objectKeys.originals),
    storage.listKeys(objectKeys.manifests),
  ]);
  const finished = new Set(manifests.map(objectKeys.uploadIdOf));
  const settledBefore = Date.now() - graceMs;
  const reconciled: Reconciled = { requeued: [], recorded: [], removed: [] };

  for (const { key, lastModified } of originals) {
    const id = objectKeys.uploadIdOf(key);
    if (!id || finished.has(id) || (lastModified?.getTime() ?? Date.now()) > settledBefore) continue;
    const existing = await queue.find(id);
    if (existing) {
      if (existing.error) {
        await recordFailure(storage, existing.data, existing.error, logger.child({ uploadId: id }));
        reconciled.recorded.push(id);
      }
      continue;
    }
    const original = await checkStoredOriginal(storage, id, { maxBytes: Number.POSITIVE_INFINITY }).catch(
      (error: unknown) => {
        if (!(error instanceof OriginalRejectedError)) throw error;
        reconciled.removed.push(id);
      },
    );
    // Gone since the listing (discarded, or a failed sync upload cleaned up), or just removed.
    if (!original) continue;
    // A resumable upload's object has no metadata of ours: tus's record of the upload has it.
    const metadata = original.metadata.owner
      ? original.metadata
      : ((await resumableUploadMetadata(storage, id)) ?? original.metadata);
    const owner = originalMetadata.owner(metadata);
    const job: ProcessPhotoJob = {
      id,
      originalKey: key,
      contentType: original.contentType,
      bytes: original.bytes,
      filename: originalMetadata.filename(metadata),
      uploadedAt: (original.lastModified ?? new Date()).toISOString(),
      ...(owner !== undefined && { owner }),
    };
    await queue.enqueue(job);
    reconciled.requeued.push(id);
  }
  const { requeued, recorded, removed } = reconciled;
  if (requeued.length > 0) logger.warn({ uploadIds: requeued }, "orphaned originals enqueued again");
  if (recorded.length > 0) logger.warn({ uploadIds: recorded }, "failures recorded for failed jobs");
  if (removed.length > 0)
    logger.warn({ uploadIds: removed }, "orphaned originals that are not images removed");
  return reconciled;
}
