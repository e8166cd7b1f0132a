import { webhookPayloadSchema, type ErrorDetail } from "@darkroom/contracts";
import { Queue, UnrecoverableError, Worker, type DefaultJobOptions } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { QueueConfig } from "./config";

export const NOTIFY = "notify";

/** One webhook to deliver: what, to whom, and for whose secret. Built once, sent the same on every retry. */
export const notifyJobSchema = z.object({
  /** The `webhook-id`: the upload and its event, so a receiver sees the same id on every retry. */
  webhookId: z.string().regex(/^[\w.-]+$/),
  /** Whose secret signs it. */
  owner: z.string(),
  url: z.url(),
  payload: webhookPayloadSchema,
});
export type NotifyJob = z.infer<typeof notifyJobSchema>;

/**
 * Notify jobs retry on the schedule the worker is given (`retryDelaysMs`),
 * not on a count fixed when they were added: this only bounds it.
 */
const NOTIFY_JOB_OPTIONS = {
  attempts: 100,
  backoff: { type: "webhook-schedule" },
  /** Delivered ones stay a day: the same webhook added again meanwhile is not sent twice. */
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  /** Deliveries that failed for good are the notify queue's dead-letter set, kept a week. */
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} satisfies DefaultJobOptions;

/** The queue of notifications, apart from photos: a receiver that is slow or down never holds up processing. */
export interface NotifyQueue {
  /** Adds a delivery; one with the same `webhookId` still kept is not added again. */
  enqueue(job: NotifyJob): Promise<void>;
  /** The dead-letter set: how many deliveries failed for good and are kept. */
  failedCount(): Promise<number>;
  close(): Promise<void>;
}

export const notifyQueueName = (config: Pick<QueueConfig, "name">) => `${config.name}-notify`;

export function createNotifyQueue(
  config: QueueConfig,
  { connection, onError = () => undefined }: { connection?: Redis; onError?: (error: Error) => void } = {},
): NotifyQueue {
  const queue = new Queue<NotifyJob>(notifyQueueName(config), {
    connection: connection ?? { url: config.redisUrl },
    prefix: config.prefix,
    defaultJobOptions: NOTIFY_JOB_OPTIONS,
  });
  queue.on("error", onError);
  return {
    async enqueue(job) {
      await queue.add(NOTIFY, notifyJobSchema.parse(job), { jobId: job.webhookId });
    },
    failedCount: () => queue.getFailedCount(),
    close: () => queue.close(),
  };
}

/** One try at one delivery, as its handler sees it. */
export interface NotifyRun {
  /** As stored in Redis: the handler validates it. */
  data: unknown;
  /** Tries made before this one. */
  attemptsMade: number;
  /** Whether a failure now fails the delivery for good. */
  isLastAttempt: boolean;
}

/** Thrown by a handler to fail a delivery for good at once: a retry cannot help. */
export class NotifyJobFailure extends Error {
  override readonly name = "NotifyJobFailure";
}

export interface NotifyWorkerOptions {
  concurrency: number;
  /** Before each retry, in order; a delivery fails for good once they are used up. */
  retryDelaysMs: number[];
  onError?: (error: Error) => void;
}

export interface NotifyWorker {
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createNotifyWorker(
  config: QueueConfig,
  handler: (run: NotifyRun) => Promise<void>,
  { concurrency, retryDelaysMs, onError }: NotifyWorkerOptions,
): NotifyWorker {
  const worker = new Worker<NotifyJob>(
    notifyQueueName(config),
    async (job) => {
      try {
        await handler({
          data: job.data,
          attemptsMade: job.attemptsMade,
          isLastAttempt: job.attemptsMade >= retryDelaysMs.length,
        });
      } catch (error) {
        throw error instanceof NotifyJobFailure ? new UnrecoverableError(error.message) : error;
      }
    },
    {
      connection: { url: config.redisUrl },
      prefix: config.prefix,
      concurrency,
      settings: {
        // -1: no retry left, the job fails.
        backoffStrategy: (attemptsMade: number) => retryDelaysMs[attemptsMade - 1] ?? -1,
      },
    },
  );
  worker.on("error", (error) => onError?.(error));
  return {
    ready: async () => void (await worker.waitUntilReady()),
    close: () => worker.close(),
  };
}

/** What a webhook needs to know of the upload that ended. */
export interface EndedUpload {
  id: string;
  owner?: string | undefined;
  mode: NotifyJob["payload"]["data"]["mode"];
  filename: string;
  notifyUrl?: string | undefined;
}

export type UploadOutcome = { status: "completed" } | { status: "failed"; error: ErrorDetail };

/**
 * The delivery for an upload that ended, or `undefined` when it asked for
 * none. Its id is the upload's and the event's, the same whichever worker or
 * retry adds it: the queue adds it once, and a receiver deduplicates on it.
 */
export function notifyJobFor(
  upload: EndedUpload,
  outcome: UploadOutcome,
  endedAt = new Date(),
): NotifyJob | undefined {
  if (!upload.notifyUrl || !upload.owner) return undefined;
  return {
    webhookId: `msg_${upload.id}_${outcome.status}`,
    owner: upload.owner,
    url: upload.notifyUrl,
    payload: {
      type: `upload.${outcome.status}`,
      timestamp: endedAt.toISOString(),
      data: {
        id: upload.id,
        status: outcome.status,
        mode: upload.mode,
        filename: upload.filename,
        statusUrl: `/api/uploads/${upload.id}`,
        ...(outcome.status === "failed" && { error: outcome.error }),
      },
    },
  };
}
