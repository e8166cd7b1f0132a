import { storedOriginalSchema, uploadModeSchema } from "@darkroom/contracts";
import type { DefaultJobOptions } from "bullmq";
import { z } from "zod";

export const PROCESS_PHOTO = "process-photo";

/**
 * Keys and small fields only: the image itself stays in S3. `requestId` is
 * the API request that enqueued it, so the worker's log lines join the API's.
 */
export const processPhotoJobSchema = storedOriginalSchema.extend({
  requestId: z.string().optional(),
  /** How the original reached storage. @defaultValue "queued" */
  mode: uploadModeSchema.exclude(["sync"]).optional(),
  /** Where a webhook goes once the upload ends, checked when it was accepted. */
  notifyUrl: z.url().optional(),
});
export type ProcessPhotoJob = z.infer<typeof processPhotoJobSchema>;

/** Options every `process-photo` job gets unless a caller overrides them. */
export const DEFAULT_JOB_OPTIONS = {
  /**
   * Tries in all, the first included, for passing faults such as S3 or Redis
   * being away. Bad input is thrown as `UnrecoverableError` and never retried.
   * A worker that dies mid-job is a different case: see `maxStalledCount`.
   * @defaultValue 5
   */
  attempts: 5,
  /**
   * 1 s, 2 s, 4 s, 8 s between tries, each shortened by up to half at random
   * so that jobs failed by one outage do not all retry at the same instant.
   */
  backoff: { type: "exponential", delay: 1_000, jitter: 0.5 },
  /** Finished jobs stay a day for the queue views; the manifest in S3 is the lasting record. */
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  /** Failed jobs are the dead-letter set: kept a week so they can be inspected and retried. */
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} satisfies DefaultJobOptions;
