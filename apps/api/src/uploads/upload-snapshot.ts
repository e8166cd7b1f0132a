import { type JobProgress, type UploadManifest, type UploadSnapshot } from "@darkroom/contracts";
import type { PhotoJob, PhotoQueue } from "@darkroom/queue";
import { readManifest, type ObjectStorage } from "@darkroom/storage";
import { AppError } from "../http/app-error";
import { createEta } from "./eta";
import type { Owner } from "../identity/owner";
import type { VariantUrl } from "./variant-urls";

export interface SnapshotSources {
  queue: PhotoQueue;
  storage: ObjectStorage;
  /** Where a finished upload's variants are fetched. */
  variantUrl: VariantUrl;
}

/** An upload's current state, and whose it is (nobody's, for uploads made before owners). */
export interface OwnedSnapshot {
  owner: string | undefined;
  snapshot: UploadSnapshot;
}

/** Any upload's state, whoever owns it: for the API's own use, never for answering a caller as is. */
export type ReadUpload = (id: string) => Promise<OwnedSnapshot | undefined>;

/** An upload's state if it is `owner`'s; another's reads as none, so that its existence is not revealed. */
export type ReadSnapshot = (id: string, owner: Owner) => Promise<UploadSnapshot | undefined>;

export function ownedBy(readUpload: ReadUpload): ReadSnapshot {
  return async (id, owner) => {
    const upload = await readUpload(id);
    return upload?.owner === owner.id ? upload.snapshot : undefined;
  };
}

/**
 * The current state of an upload. A live job answers while the work runs;
 * the manifest in S3 answers once it has ended, including after the queue
 * has dropped the job. An upload waiting in line or running has an ETA.
 */
export function createUploadReader({ queue, storage, variantUrl }: SnapshotSources): ReadUpload {
  const eta = createEta(queue);
  const fromManifest = async (manifest: UploadManifest): Promise<OwnedSnapshot> => ({
    owner: manifest.owner,
    snapshot: await snapshotFromManifest(manifest, variantUrl),
  });
  return async (id) => {
    if (!queue.isAvailable()) {
      // Without Redis, finished uploads still answer from S3; live ones cannot.
      const manifest = await readManifest(storage, id);
      if (manifest) return fromManifest(manifest);
      throw new AppError("QUEUE_UNAVAILABLE");
    }

    const [job, deleted] = await Promise.all([queue.find(id), queue.isDeleted(id)]);
    // Its worker may still be writing what it will throw away.
    if (deleted) return undefined;
    const fromJob = (snapshot: UploadSnapshot): OwnedSnapshot => ({
      owner: job?.data.owner,
      snapshot: { ...snapshot, ...(job && fileAndTimings(job)) },
    });
    if (job?.state === "active") {
      const progress = job.progress ?? STARTED;
      const etaMs = job.startedAt && (await eta.whileRunning(Date.now() - job.startedAt));
      return fromJob({
        ...liveSnapshot(id, { attempt: job.attemptsStarted, ...progress }),
        ...(etaMs !== undefined && { etaMs }),
      });
    }
    if (job?.state === "waiting" || job?.state === "delayed") {
      const position = await queue.positionInLine(id);
      const etaMs = position && (await eta.whileWaiting(position));
      return fromJob({
        ...liveSnapshot(id, QUEUED),
        ...(position !== undefined && { queuePosition: position }),
        ...(etaMs !== undefined && { etaMs }),
      });
    }

    const manifest = await readManifest(storage, id);
    if (manifest) return fromManifest(manifest);
    if (job?.state === "failed") {
      return fromJob({
        ...liveSnapshot(id, { stage: "failed", percent: 100 }),
        status: "failed",
        ...(job.error && { error: job.error }),
      });
    }
    return undefined;
  };
}

const QUEUED: JobProgress = { stage: "queued", percent: 0 };
/** A job a worker has taken and not yet reported on. */
export const STARTED: JobProgress = { stage: "downloading", percent: 0 };

/** The file and its timings, from the job that carries them while it lives. */
function fileAndTimings(job: PhotoJob): Pick<UploadSnapshot, "mode" | "original" | "timings"> {
  const { filename, bytes, uploadedAt, receiveMs } = job.data;
  const at = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : undefined);
  return {
    mode: job.data.mode ?? "queued",
    original: { filename, bytes },
    // Steps not yet taken stay undefined, and so out of the JSON.
    timings: { uploadedAt, receiveMs, startedAt: at(job.startedAt), finishedAt: at(job.finishedAt) },
  };
}

/** A snapshot of a job still waiting or running, from its last progress report. */
export function liveSnapshot(id: string, progress: JobProgress): UploadSnapshot {
  return {
    id,
    mode: progress.mode ?? "queued",
    status: progress.stage === "queued" ? "queued" : "active",
    stage: progress.stage,
    progress: progress.percent,
    ...(progress.variant && { variant: progress.variant }),
    ...(progress.attempt && { attempt: progress.attempt }),
    variants: [],
  };
}

export async function snapshotFromManifest(
  manifest: UploadManifest,
  variantUrl: VariantUrl,
): Promise<UploadSnapshot> {
  return {
    id: manifest.id,
    mode: manifest.mode,
    status: manifest.status,
    stage: manifest.status,
    progress: 100,
    variants: await Promise.all(
      manifest.variants.map(async ({ key, ...variant }) => ({ ...variant, url: await variantUrl(key) })),
    ),
    ...(manifest.thumbhash && { thumbhash: manifest.thumbhash }),
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

export function statusUrl(id: string): string {
  return `/api/uploads/${id}`;
}
