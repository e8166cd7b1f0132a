import { notifyJobFor, type NotifyQueue, type ProcessPhotoJob, type UploadOutcome } from "@darkroom/queue";
import type { Logger } from "@darkroom/runtime";

/** Adds the webhook an upload asked for, once it has ended. Never throws. */
export type NotifyOnFinish = (upload: ProcessPhotoJob, outcome: UploadOutcome, log: Logger) => Promise<void>;

/**
 * A notification that cannot be queued is logged and dropped: it never
 * changes how the upload itself ends, which its status already tells.
 */
export function notifyOnFinish(queue: NotifyQueue): NotifyOnFinish {
  return async (upload, outcome, log) => {
    const job = notifyJobFor({ ...upload, mode: upload.mode ?? "queued" }, outcome);
    if (!job) return;
    try {
      await queue.enqueue(job);
    } catch (error) {
      log.error({ err: error, webhookId: job.webhookId }, "webhook not queued: the upload's status stands");
    }
  };
}
