import {
  FORMAT_EXTENSIONS,
  jobProgressSchema,
  type JobProgress,
  type UploadManifest,
  type UploadSnapshot,
} from "@darkroom/contracts";
import {
  parseFailureReason,
  type Job,
  type PhotoQueue,
  type ProcessPhotoJob,
  type Redis,
} from "@darkroom/queue";
import { readManifest, type ObjectStorage } from "@darkroom/storage";
import { AppError } from "../http/app-error";
import { redisAvailable } from "../http/redis-ready";

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
    if (!redisAvailable(redis)) {
      // Without Redis, finished uploads still answer from S3; live ones cannot.
      const manifest = await readManifest(storage, id);
      if (manifest) return snapshotFromManifest(manifest);
      throw new AppError("QUEUE_UNAVAILABLE");
    }

    const job = await queue.getJob(id);
    const state = job ? await job.getState() : "unknown";
    if (job && state === "active") {
      const progress = parseProgress(job.progress);
      return { ...liveSnapshot(id, { attempt: job.attemptsStarted, ...progress }), ...fileAndTimings(job) };
    }
    if (job && state !== "completed" && state !== "failed" && state !== "unknown") {
      const position = await queuePosition(queue, redis, id);
      return {
        ...liveSnapshot(id, QUEUED),
        ...(position !== undefined && { queuePosition: position }),
        ...fileAndTimings(job),
      };
    }

    const manifest = await readManifest(storage, id);
    if (manifest) return snapshotFromManifest(manifest);
    if (job && state === "failed") {
      return {
        ...liveSnapshot(id, { stage: "failed", percent: 100 }),
        status: "failed",
        error: parseFailureReason(job.failedReason),
        ...fileAndTimings(job),
      };
    }
    return undefined;
  };
}

const QUEUED: JobProgress = { stage: "queued", percent: 0 };

/** The file and its timings, from the job that carries them while it lives. */
function fileAndTimings(job: Job<ProcessPhotoJob>): Pick<UploadSnapshot, "original" | "timings"> {
  const { filename, bytes, uploadedAt, receiveMs } = job.data;
  const at = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : undefined);
  return {
    original: { filename, bytes },
    // Steps not yet taken stay undefined, and so out of the JSON.
    timings: { uploadedAt, receiveMs, startedAt: at(job.processedOn), finishedAt: at(job.finishedOn) },
  };
}

/**
 * Where a waiting job stands in line, 1 being next. BullMQ adds jobs at the
 * head of its wait list and workers take them from the tail. LPOS walks the
 * list, in Redis: a few milliseconds for the 10,000 jobs QUEUE_MAX_WAITING
 * allows. Both are read in one transaction, or a job taken in between would
 * put this one at 0.
 */
async function queuePosition(queue: PhotoQueue, redis: Redis, id: string): Promise<number | undefined> {
  const wait = queue.toKey("wait");
  const [[, index] = [], [, length] = []] = (await redis.multi().lpos(wait, id).llen(wait).exec()) ?? [];
  return typeof index === "number" && typeof length === "number" ? length - index : undefined;
}

/** A snapshot of a job still waiting or running, from its last progress report. */
export function liveSnapshot(id: string, progress: JobProgress): UploadSnapshot {
  return {
    id,
    mode: "queued",
    status: progress.stage === "queued" ? "queued" : "active",
    stage: progress.stage,
    progress: progress.percent,
    ...(progress.variant && { variant: progress.variant }),
    ...(progress.attempt && { attempt: progress.attempt }),
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
    original: { filename: manifest.original.filename, bytes: manifest.original.bytes },
    timings: {
      receiveMs: manifest.original.receiveMs,
      uploadedAt: manifest.uploadedAt,
      startedAt: manifest.startedAt,
      finishedAt: manifest.finishedAt,
    },
  };
}

export function variantUrl(id: string, name: string, extension: string): string {
  return `/api/uploads/${id}/variants/${name}.${extension}`;
}
