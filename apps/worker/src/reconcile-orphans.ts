import { PROCESS_PHOTO, type PhotoQueue, type ProcessPhotoJob } from "@darkroom/queue";
import type { Logger } from "@darkroom/runtime";
import { objectKeys, originalMetadata, type ObjectStorage } from "@darkroom/storage";

export interface ReconcileDeps {
  storage: ObjectStorage;
  queue: PhotoQueue;
  logger: Logger;
  /** Originals younger than this may still be on their way to the queue. */
  graceMs: number;
}

/**
 * Finds originals that have neither a manifest nor a job, and enqueues them
 * again. A process that dies between storing an original and enqueuing its
 * job, or in the middle of a sync upload, leaves exactly that; nothing else
 * would ever pick it up. Job ids are upload ids, so a job that appears
 * meanwhile is never doubled.
 *
 * It lists every original and manifest, two keys per upload, a thousand per
 * request: fine for millions of photos. Beyond, read S3 Inventory instead.
 */
export async function reconcileOrphans({
  storage,
  queue,
  logger,
  graceMs,
}: ReconcileDeps): Promise<string[]> {
  const [originals, manifests] = await Promise.all([
    storage.listObjects(objectKeys.originals),
    storage.listKeys(objectKeys.manifests),
  ]);
  const finished = new Set(manifests.map(objectKeys.uploadIdOf));
  const settledBefore = Date.now() - graceMs;
  const requeued: string[] = [];

  for (const { key, lastModified } of originals) {
    const id = objectKeys.uploadIdOf(key);
    if (!id || finished.has(id) || (lastModified?.getTime() ?? Date.now()) > settledBefore) continue;
    if (await queue.getJob(id)) continue;
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
    await queue.add(PROCESS_PHOTO, job, { jobId: id });
    requeued.push(id);
  }
  if (requeued.length > 0) logger.warn({ uploadIds: requeued }, "orphaned originals enqueued again");
  return requeued;
}
