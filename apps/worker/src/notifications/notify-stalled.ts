import { listenToPhotoEvents, type PhotoQueue, type QueueConfig } from "@darkroom/queue";
import type { Logger } from "@darkroom/runtime";
import type { NotifyOnFinish } from "./notify-on-finish";

/**
 * A job whose worker died twice fails without any handler running: BullMQ
 * fails it while looking for stalled jobs. Its webhook is added here, from
 * the queue's events; every worker process hears them, and the delivery's
 * id makes the queue add it once.
 */
export function notifyStalledFailures(
  config: QueueConfig,
  photos: PhotoQueue,
  notify: NotifyOnFinish,
  logger: Logger,
): { close(): Promise<void> } {
  const events = listenToPhotoEvents(config, (error) =>
    logger.warn({ err: error }, "queue events connection error"),
  );
  events.on("failed", (id) => {
    void photos
      .find(id)
      .then(async (job) => {
        if (job?.state !== "failed" || job.error?.code !== "JOB_STALLED") return;
        await notify(job.data, { status: "failed", error: job.error }, logger.child({ uploadId: id }));
      })
      .catch((error: unknown) => logger.warn({ err: error, uploadId: id }, "stalled job not notified"));
  });
  return events;
}
