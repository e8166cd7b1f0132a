import { jobProgressSchema, type JobProgress } from "@darkroom/contracts";
import { QueueEvents } from "bullmq";
import type { QueueConfig } from "./config";

/** What every worker reports of each job, by upload id. */
export interface PhotoEventListeners {
  active(id: string): void;
  /** `undefined` for a report that is not a stage of the pipeline. */
  progress(id: string, progress: JobProgress | undefined): void;
  completed(id: string): void;
  /** Each failed try, the last one included. */
  failed(id: string): void;
}

export interface PhotoEvents {
  on<E extends keyof PhotoEventListeners>(event: E, listener: PhotoEventListeners[E]): void;
  close(): Promise<void>;
}

/**
 * Job events from every worker, read from Redis: what the API forwards to
 * browsers. The connection waits for Redis as long as it takes; `onError`
 * hears of it being away.
 */
export function listenToPhotoEvents(config: QueueConfig, onError: (error: Error) => void): PhotoEvents {
  const events = new QueueEvents(config.name, {
    connection: { url: config.redisUrl },
    prefix: config.prefix,
  });
  events.on("error", onError);
  return {
    on(event, listener: (id: string, progress?: JobProgress) => void) {
      if (event === "progress") {
        events.on("progress", ({ jobId, data }) => {
          const progress = jobProgressSchema.safeParse(data);
          listener(jobId, progress.success ? progress.data : undefined);
        });
      } else events.on(event, ({ jobId }: { jobId: string }) => listener(jobId));
    },
    close: () => events.close(),
  };
}
