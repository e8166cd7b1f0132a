import type { ErrorDetail, JobProgress } from "@darkroom/contracts";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { QueueConfig } from "./config";
import { fairOrder } from "./fair-order";
import { formatFailureReason } from "./failure-reason";
import type { PROCESS_PHOTO, ProcessPhotoJob } from "./photo-job";

/** One try at one job, as its handler sees it. */
export interface PhotoJobRun {
  /** As stored in Redis: the handler validates it. */
  data: unknown;
  /** Tries started, this one included, even those whose worker died. */
  attemptsStarted: number;
  /** Whether a passing fault now fails the job instead of having it tried again. */
  isLastAttempt: boolean;
  reportProgress(progress: JobProgress): Promise<void>;
}

/**
 * Thrown by a handler to fail its job for good, at once, with a reason the
 * upload's status and the dead-letter set show. Any other error counts as a
 * passing fault, and the job is tried again after a backoff.
 */
export class PhotoJobFailure extends Error {
  constructor(
    readonly detail: ErrorDetail,
    options?: ErrorOptions,
  ) {
    super(formatFailureReason(detail), options);
    this.name = "PhotoJobFailure";
  }
}

export type PhotoJobHandler = (run: PhotoJobRun) => Promise<void>;

export interface PhotoWorkerOptions {
  /** Jobs run at once in this process. sharp is CPU-bound: match the cores it may use. */
  concurrency: number;
  /** How long a lock on a job lasts; renewed at half this. A job whose lock expires has stalled. */
  lockMs: number;
  /** How often to look for stalled jobs. */
  stalledCheckMs: number;
  /** A try ended with an error; `attemptsMade` counts it. */
  onAttemptFailed?: (id: string, attemptsMade: number, error: Error) => void;
  /** A connection or internal error of the worker itself. */
  onError?: (error: Error) => void;
}

export interface PhotoWorker {
  /** Resolves once connected to Redis and taking jobs. */
  ready(): Promise<void>;
  isRunning(): boolean;
  /** Takes no more jobs, and resolves once those in hand have finished. */
  close(): Promise<void>;
}

export function createPhotoWorker(
  config: QueueConfig,
  handler: PhotoJobHandler,
  options: PhotoWorkerOptions,
): PhotoWorker {
  // Tells the fair order which job started: waits until Redis is back, as the worker does.
  const fairConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  fairConnection.on("error", (error: Error) => options.onError?.(error));
  const fair = fairOrder(fairConnection, config);
  const worker = new Worker<ProcessPhotoJob, void, typeof PROCESS_PHOTO>(
    config.name,
    async (job) => {
      await fair.started(job.id!, job.priority);
      try {
        await handler(runOf(job));
      } catch (error) {
        // BullMQ fails a job for good only on its own error class.
        throw error instanceof PhotoJobFailure ? new UnrecoverableError(error.message) : error;
      }
    },
    {
      connection: { url: config.redisUrl },
      prefix: config.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.stalledCheckMs,
      // A job whose worker died (its lock expired) goes back to the queue once;
      // a second time it fails, so a photo that kills workers cannot kill them all.
      maxStalledCount: 1,
    },
  );
  worker.on("failed", (job, error) => job?.id && options.onAttemptFailed?.(job.id, job.attemptsMade, error));
  worker.on("error", (error) => options.onError?.(error));
  return {
    ready: async () => void (await worker.waitUntilReady()),
    isRunning: () => worker.isRunning(),
    async close() {
      await worker.close();
      await fairConnection.quit();
    },
  };
}

function runOf(job: Job<ProcessPhotoJob>): PhotoJobRun {
  return {
    data: job.data,
    attemptsStarted: job.attemptsStarted,
    isLastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
    reportProgress: (progress) => job.updateProgress(progress),
  };
}
