import { z } from "zod";
import { errorDetailSchema } from "./errors";
import { uploadIdSchema } from "./uploads";

/** A job in the dead-letter set: it failed for good and waits to be retried or discarded. */
export const failedJobSchema = z.object({
  /** The upload's id: each upload has one job. */
  id: uploadIdSchema,
  filename: z.string(),
  attemptsMade: z.number().int().nonnegative(),
  failedAt: z.iso.datetime(),
  error: errorDetailSchema,
});
export type FailedJob = z.infer<typeof failedJobSchema>;

/** `GET /api/jobs/failed`: the newest failed jobs first. */
export const failedJobListSchema = z.object({
  jobs: z.array(failedJobSchema),
  /** All failed jobs kept, of which `jobs` is the newest page. */
  total: z.number().int().nonnegative(),
});
export type FailedJobList = z.infer<typeof failedJobListSchema>;

/** `GET /api/jobs/counts`: how many jobs are in each state, and the workers connected. */
export const queueCountsSchema = z.object({
  waiting: z.number().int().nonnegative(),
  active: z.number().int().nonnegative(),
  delayed: z.number().int().nonnegative(),
  completed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  workers: z.number().int().nonnegative(),
});
export type QueueCounts = z.infer<typeof queueCountsSchema>;
