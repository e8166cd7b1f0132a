import {
  uploadIdSchema,
  type AcceptedUpload,
  type FailedJob,
  type FailedJobList,
  type QueueCounts,
} from "@darkroom/contracts";
import { discardUpload } from "@darkroom/pipeline";
import {
  parseFailureReason,
  type Job,
  type PhotoQueue,
  type ProcessPhotoJob,
  type Redis,
} from "@darkroom/queue";
import type { ObjectStorage } from "@darkroom/storage";
import { Router } from "express";
import { z } from "zod";
import { AppError } from "../http/app-error";
import { assertRedisReady } from "../http/redis-ready";

export interface JobRoutesDeps {
  queue: PhotoQueue;
  redis: Redis;
  storage: ObjectStorage;
}

const pageSchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** The queue's state, and its dead-letter set: the failed jobs, to retry or discard. */
export function jobRoutes({ queue, redis, storage }: JobRoutesDeps): Router {
  const router = Router();
  router.use("/api/jobs", (_req, _res, next) => {
    assertRedisReady(redis);
    next();
  });

  router.get("/api/jobs/counts", async (_req, res) => {
    const [counts, workers] = await Promise.all([
      queue.getJobCounts("waiting", "active", "delayed", "completed", "failed"),
      queue.getWorkersCount(),
    ]);
    const body: QueueCounts = {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
      workers,
    };
    res.set("Cache-Control", "no-store").json(body);
  });

  router.get("/api/jobs/failed", async (req, res) => {
    const page = pageSchema.safeParse(req.query);
    if (!page.success) throw new AppError("VALIDATION_FAILED", "`limit` is a whole number from 1 to 200.");
    const [jobs, total] = await Promise.all([
      queue.getFailed(0, page.data.limit - 1),
      queue.getFailedCount(),
    ]);
    const body: FailedJobList = { jobs: jobs.map(describeFailedJob), total };
    res.set("Cache-Control", "no-store").json(body);
  });

  router.post("/api/jobs/:id/retry", async (req, res) => {
    const job = await failedJob(queue, req.params.id);
    // A fresh set of attempts: the job gets the same chances as a new one. The
    // tries started keep counting: the worker sees a job run again, and its
    // progress shows which try it is.
    await job.retry("failed", { resetAttemptsMade: true });
    req.log.info({ uploadId: job.data.id }, "failed job retried");
    const body: AcceptedUpload = {
      id: job.data.id,
      status: "queued",
      statusUrl: `/api/uploads/${job.data.id}`,
    };
    res.status(202).json(body);
  });

  router.delete("/api/jobs/:id", async (req, res) => {
    const job = await failedJob(queue, req.params.id);
    // The objects go first: if that fails, the job stays listed and the discard can be repeated.
    await discardUpload(storage, job.data.id);
    await job.remove();
    req.log.info({ uploadId: job.data.id }, "failed job discarded");
    res.status(204).end();
  });

  return router;
}

async function failedJob(queue: PhotoQueue, rawId: string): Promise<Job<ProcessPhotoJob>> {
  const id = uploadIdSchema.safeParse(rawId);
  const job = id.success ? await queue.getJob(id.data) : undefined;
  if (!job) throw new AppError("NOT_FOUND", `No job has the id "${rawId}".`);
  if (!(await job.isFailed())) throw new AppError("JOB_NOT_FAILED");
  return job;
}

function describeFailedJob(job: Job<ProcessPhotoJob>): FailedJob {
  return {
    id: job.data.id,
    filename: job.data.filename,
    attemptsMade: job.attemptsMade,
    failedAt: new Date(job.finishedOn ?? job.timestamp).toISOString(),
    error: parseFailureReason(job.failedReason),
  };
}
