import {
  FORMAT_EXTENSIONS,
  jobProgressSchema,
  type JobProgress,
  type UploadManifest,
  type UploadSnapshot,
} from "@darkroom/contracts";
import { parseFailureReason, type PhotoQueue, type Redis } from "@darkroom/queue";
import { readManifest, type ObjectStorage } from "@darkroom/storage";
import { AppError } from "../http/app-error";

export interface SnapshotSources {
  queue: PhotoQueue;
  redis: Redis;
  storage: ObjectStorage;
}

export type ReadSnapshot = (id: string) => Promise<UploadSnapshot | undefined>;

/**
 * The current state of an upload. A live job in Redis answers while the work
 * runs; the manifest in S3 answers once it has ended, including after BullMQ
 * has removed the job.
 */
export function createSnapshotReader({ queue, redis, storage }: SnapshotSources): ReadSnapshot {
  return async (id) => {
    if (redis.status !== "ready") {
      // Without Redis, finished uploads still answer from S3; live ones cannot.
      const manifest = await readManifest(storage, id);
      if (manifest) return snapshotFromManifest(manifest);
      throw new AppError("QUEUE_UNAVAILABLE");
    }

    const job = await queue.getJob(id);
    const state = job ? await job.getState() : "unknown";
    if (job && state !== "completed" && state !== "failed" && state !== "unknown") {
      return liveSnapshot(id, state === "active" ? parseProgress(job.progress) : QUEUED);
    }

    const manifest = await readManifest(storage, id);
    if (manifest) return snapshotFromManifest(manifest);
    if (job && state === "failed") {
      return {
        ...liveSnapshot(id, { stage: "failed", percent: 100 }),
        status: "failed",
        error: parseFailureReason(job.failedReason),
      };
    }
    return undefined;
  };
}

const QUEUED: JobProgress = { stage: "queued", percent: 0 };

/** A snapshot of a job still waiting or running, from its last progress report. */
export function liveSnapshot(id: string, progress: JobProgress): UploadSnapshot {
  return {
    id,
    mode: "queued",
    status: progress.stage === "queued" ? "queued" : "active",
    stage: progress.stage,
    progress: progress.percent,
    ...(progress.variant && { variant: progress.variant }),
    variants: [],
  };
}

export function parseProgress(raw: unknown): JobProgress {
  const parsed = jobProgressSchema.safeParse(raw);
  return parsed.success ? parsed.data : { stage: "downloading", percent: 0 };
}

export function snapshotFromManifest(manifest: UploadManifest): UploadSnapshot {
  return {
    id: manifest.id,
    mode: manifest.mode,
    status: manifest.status,
    stage: manifest.status,
    progress: 100,
    variants: manifest.variants.map(({ key: _key, ...variant }) => ({
      ...variant,
      url: variantUrl(manifest.id, variant.name, FORMAT_EXTENSIONS[variant.format]),
    })),
    ...(manifest.error && { error: manifest.error }),
  };
}

export function variantUrl(id: string, name: string, extension: string): string {
  return `/api/uploads/${id}/variants/${name}.${extension}`;
}
