import type { PhotoQueue, ProcessPhotoJob } from "@darkroom/queue";
import type { Logger } from "@darkroom/runtime";
import { objectKeys, originalMetadata, type ObjectStorage } from "@darkroom/storage";
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
}

/**
 * Finds originals that have no manifest, and settles them:
 * - with no job, it enqueues them again. A process that dies between storing
 *   an original and enqueuing its job, or in the middle of a sync upload,
 *   leaves exactly that; nothing else would ever pick it up. Job ids are
 *   upload ids, so a job that appears meanwhile is never doubled.
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
  const reconciled: Reconciled = { requeued: [], recorded: [] };

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
    const original = await storage.head(key);
    // Gone since the listing: discarded, or a failed sync upload cleaned up.
    if (!original?.contentType) continue;
    const job: ProcessPhotoJob = {
      id,
      originalKey: key,
      contentType: original.contentType,
      bytes: original.bytes,
      filename: originalMetadata.filename(original.metadata),
      uploadedAt: (original.lastModified ?? new Date()).toISOString(),
    };
    await queue.enqueue(job);
    reconciled.requeued.push(id);
  }
  const { requeued, recorded } = reconciled;
  if (requeued.length > 0) logger.warn({ uploadIds: requeued }, "orphaned originals enqueued again");
  if (recorded.length > 0) logger.warn({ uploadIds: recorded }, "failures recorded for failed jobs");
  return reconciled;
}
