import {
  uploadIdSchema,
  type AcceptedUpload,
  type FailedJob,
  type FailedJobList,
  type QueueCounts,
} from "@darkroom/contracts";
import { discardUpload } from "@darkroom/pipeline";
import type { FailedPhotoJob, PhotoQueue } from "@darkroom/queue";
import type { ObjectStorage } from "@darkroom/storage";
import { Router } from "express";
import { z } from "zod";
import { AppError } from "../http/app-error";
import { statusUrl } from "../uploads/upload-snapshot";

export interface JobRoutesDeps {
  queue: PhotoQueue;
  storage: ObjectStorage;
}

const pageSchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** The queue's state, and its dead-letter set: the failed jobs, to retry or discard. */
export function jobRoutes({ queue, storage }: JobRoutesDeps): Router {
  const router = Router();
  router.use("/api/jobs", (_req, _res, next) => {
    if (!queue.isAvailable()) throw new AppError("QUEUE_UNAVAILABLE");
    next();
  });

  router.get("/api/jobs/counts", async (_req, res) => {
    const [counts, workers] = await Promise.all([queue.counts(), queue.workerCount()]);
    const body: QueueCounts = { ...counts, workers };
    res.set("Cache-Control", "no-store").json(body);
  });

  router.get("/api/jobs/failed", async (req, res) => {
    const page = pageSchema.safeParse(req.query);
    if (!page.success) throw new AppError("VALIDATION_FAILED", "`limit` is a whole number from 1 to 200.");
    const { jobs, total } = await queue.failed(page.data.limit);
    const body: FailedJobList = { jobs: jobs.map(describeFailedJob), total };
    res.set("Cache-Control", "no-store").json(body);
  });

  router.post("/api/jobs/:id/retry", async (req, res) => {
    const id = await failedJobId(queue, req.params.id);
    await queue.retry(id);
    req.log.info({ uploadId: id }, "failed job retried");
    const body: AcceptedUpload = { id, status: "queued", statusUrl: statusUrl(id) };
    res.status(202).json(body);
  });

  router.delete("/api/jobs/:id", async (req, res) => {
    const id = await failedJobId(queue, req.params.id);
    // The objects go first: if that fails, the job stays listed and the discard can be repeated.
    await discardUpload(storage, id);
    await queue.remove(id);
    req.log.info({ uploadId: id }, "failed job discarded");
    res.status(204).end();
  });

  return router;
}

async function failedJobId(queue: PhotoQueue, rawId: string): Promise<string> {
  const id = uploadIdSchema.safeParse(rawId);
  const job = id.success ? await queue.find(id.data) : undefined;
  if (!job) throw new AppError("NOT_FOUND", `No job has the id "${rawId}".`);
  if (job.state !== "failed") throw new AppError("JOB_NOT_FAILED");
  return job.data.id;
}

function describeFailedJob(job: FailedPhotoJob): FailedJob {
  return {
    id: job.data.id,
    filename: job.data.filename,
    attemptsMade: job.attemptsMade,
    failedAt: new Date(job.finishedAt ?? job.addedAt).toISOString(),
    error: job.error,
  };
}
