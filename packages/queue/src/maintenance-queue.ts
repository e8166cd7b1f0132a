import { Queue, Worker } from "bullmq";
import type { QueueConfig } from "./config";

/** The repeated job that finds uploads whose original is stored but which have no job. */
const RECONCILE_ORPHANS = "reconcile-orphans";

export interface RepeatedTask {
  close(): Promise<void>;
}

export interface ReconcilerOptions {
  everyMs: number;
  /** One run failed; the next comes on schedule. */
  onFailed: (error: Error) => void;
  /** A connection error: Redis is away. */
  onError: (error: Error) => void;
}

/**
 * Runs `reconcile` every `everyMs`, in a housekeeping queue kept apart from
 * photos so it never waits behind a backlog. Every worker process calls this
 * at start-up; the scheduler is one per queue, so it runs once per interval
 * however many workers there are.
 */
export async function scheduleReconciler(
  config: QueueConfig,
  reconcile: () => Promise<unknown>,
  { everyMs, onFailed, onError }: ReconcilerOptions,
): Promise<RepeatedTask> {
  const name = `${config.name}-maintenance`;
  const connection = { url: config.redisUrl };
  const queue = new Queue(name, {
    connection,
    prefix: config.prefix,
    defaultJobOptions: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  const worker = new Worker(name, reconcile, { connection, prefix: config.prefix, concurrency: 1 });
  worker.on("failed", (_job, error) => onFailed(error));
  queue.on("error", onError);
  worker.on("error", onError);
  await queue.upsertJobScheduler(RECONCILE_ORPHANS, { every: everyMs }, { name: RECONCILE_ORPHANS });
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
