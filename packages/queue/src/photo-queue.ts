import { jobProgressSchema, type ErrorDetail, type JobProgress } from "@darkroom/contracts";
import { Queue, QueueKeys, type Job } from "bullmq";
import { Redis } from "ioredis";
import { queueConfigFromEnv, queueEnvSchema, type QueueConfig } from "./config";
import { redisAvailable } from "./connection";
import { fairOrder, type PriorityClass } from "./fair-order";
import { parseFailureReason } from "./failure-reason";
import { DEFAULT_JOB_OPTIONS, PROCESS_PHOTO, type ProcessPhotoJob } from "./photo-job";

/**
 * Where a job stands. `delayed` waits out the backoff before another try;
 * the queue's other waiting states count as `waiting`.
 */
export type PhotoJobState = "waiting" | "delayed" | "active" | "completed" | "failed";

/** One upload's job, as long as the queue keeps it. */
export interface PhotoJob {
  state: PhotoJobState;
  data: ProcessPhotoJob;
  /** The last progress a worker reported, if any. */
  progress: JobProgress | undefined;
  /** Tries started, the current one included, even those whose worker died. */
  attemptsStarted: number;
  /** Tries that ended with an error. */
  attemptsMade: number;
  /** Times it was taken back from a worker that died holding it. */
  stalls: number;
  /** When it was added, in ms since the epoch. */
  addedAt: number;
  /** When a worker last took it. */
  startedAt: number | undefined;
  finishedAt: number | undefined;
  /** Why a failed job failed, as a client may see it. */
  error: ErrorDetail | undefined;
}

/** A job in the dead-letter set. */
export type FailedPhotoJob = PhotoJob & { state: "failed"; error: ErrorDetail };

export type JobCounts = Record<PhotoJobState, number>;

export interface WorkerPace {
  /** Whether the workers take jobs now: one is connected, and the queue is not paused. */
  takingJobs: boolean;
  /**
   * How many jobs the workers run at once: as many as run now, or as ran at
   * one moment among the recent ones, whichever is more. While a burst
   * starts, fewer run than can.
   */
  slots: number;
  /**
   * How long a job runs, as the median of the recent ones: a few slow ones,
   * such as a cold worker's first, do not stand for the rest.
   */
  medianRunMs: number;
}

/**
 * The photo queue, and the only code that knows it is BullMQ on Redis. Job
 * ids are upload ids: each upload has at most one job.
 */
export interface PhotoQueue {
  /** Whether Redis takes commands now; while it does not, every call fails at once. */
  isAvailable(): boolean;
  /**
   * Adds an upload's job, in its owner's fair turn (see `fairOrder`); a bulk
   * one after every interactive one. Adding one that exists already does nothing.
   */
  enqueue(job: ProcessPhotoJob, priorityClass?: PriorityClass): Promise<void>;
  find(id: string): Promise<PhotoJob | undefined>;
  /** Where a waiting job stands in line, 1 being next, in the fair order; `undefined` unless it is waiting. */
  positionInLine(id: string): Promise<number | undefined>;
  waitingCount(): Promise<number>;
  counts(): Promise<JobCounts>;
  /** Worker processes connected now. */
  workerCount(): Promise<number>;
  /**
   * How fast the workers get through jobs, from the newest `sample`
   * completed ones (how long they ran, from a worker taking each to its end,
   * and how many ran at once) and the jobs running now. `undefined` before
   * any has completed.
   */
  pace(sample: number): Promise<WorkerPace | undefined>;
  /** When the job that has waited longest for a worker was enqueued (ms since the epoch); `undefined` when none waits. */
  oldestWaitingSince(): Promise<number | undefined>;
  /** The dead-letter set: the newest `limit` failed jobs, and how many there are. */
  failed(limit: number): Promise<{ jobs: FailedPhotoJob[]; total: number }>;
  /**
   * Runs a failed job again with a fresh set of attempts. Its tries started
   * keep counting, so the worker knows it has run before.
   */
  retry(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  /**
   * Takes an upload's job away whatever its state, for good. A job a worker
   * holds cannot be taken from it: the upload is marked deleted, and
   * `isDeleted` tells the worker, once it is done, to throw its work away.
   */
  delete(id: string): Promise<void>;
  isDeleted(id: string): Promise<boolean>;
  /** Workers finish the jobs in hand and take no more until `resume`. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

export interface PhotoQueueOptions {
  /**
   * A connection to share, such as the API's producer connection, which
   * fails fast while Redis is away. Without one, the queue opens a
   * connection of its own that waits for Redis, as background work should.
   */
  connection?: Redis;
  /** Hears of connection errors, Redis being away; calls fail meanwhile either way. */
  onError?: (error: Error) => void;
}

/** The queue an environment names (`REDIS_URL`, `QUEUE_*`), for processes that have no config of their own: tests, tools. */
export function photoQueueFromEnv(
  env: Record<string, string | undefined>,
  options?: PhotoQueueOptions,
): PhotoQueue {
  return createPhotoQueue(queueConfigFromEnv(queueEnvSchema.parse(env)), options);
}

export function createPhotoQueue(
  config: QueueConfig,
  { connection, onError = () => undefined }: PhotoQueueOptions = {},
): PhotoQueue {
  const redis = connection ?? new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queue: Queue<ProcessPhotoJob, void, typeof PROCESS_PHOTO> = new Queue(config.name, {
    connection: redis,
    prefix: config.prefix,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
  queue.on("error", onError);
  if (!connection) redis.on("error", onError);
  const keys = new QueueKeys(config.prefix);
  const waitList = keys.toKey(config.name, "wait");
  const prioritizedSet = keys.toKey(config.name, "prioritized");
  const fair = fairOrder(redis, config);
  const deletedKey = (id: string) => `${config.prefix}:${config.name}:deleted:${id}`;

  return {
    isAvailable: () => redisAvailable(redis),

    async enqueue(job, priorityClass = "interactive") {
      const priority = await fair.priorityFor(job.id, job.owner ?? "", priorityClass);
      await queue.add(PROCESS_PHOTO, job, { jobId: job.id, priority });
    },

    async find(id) {
      const job = await queue.getJob(id);
      if (!job) return undefined;
      const state = stateOf(await job.getState());
      return state && photoJobOf(job, state);
    },

    /**
     * Workers take the jobs without a priority first, from the tail of the
     * wait list (BullMQ adds them at its head), then the prioritized ones,
     * lowest score first. LPOS walks the list in Redis, which is quick for
     * the lengths QUEUE_MAX_WAITING allows. All is read in one transaction,
     * or a job taken in between would put this one at 0.
     */
    async positionInLine(id) {
      const [[, index] = [], [, length] = [], [, rank] = []] =
        (await redis.multi().lpos(waitList, id).llen(waitList).zrank(prioritizedSet, id).exec()) ?? [];
      if (typeof length !== "number") return undefined;
      if (typeof index === "number") return length - index;
      return typeof rank === "number" ? length + rank + 1 : undefined;
    },

    async waitingCount() {
      const counts = await queue.getJobCounts("waiting", "prioritized");
      return (counts.waiting ?? 0) + (counts.prioritized ?? 0);
    },

    async counts() {
      const counts = await queue.getJobCounts(
        "waiting",
        "prioritized",
        "delayed",
        "active",
        "completed",
        "failed",
      );
      return {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        delayed: counts.delayed ?? 0,
        active: counts.active ?? 0,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
      };
    },

    workerCount: () => queue.getWorkersCount(),

    async pace(sample) {
      const [running, completed, paused, workers] = await Promise.all([
        queue.getActiveCount(),
        queue.getCompleted(0, sample - 1),
        queue.isPaused(),
        queue.getWorkersCount(),
      ]);
      const runs = completed.map((job) => ({ startedAt: job.processedOn, finishedAt: job.finishedOn }));
      return paceOf({ running, takingJobs: !paused && workers > 0 }, runs);
    },

    async oldestWaitingSince() {
      // Jobs that went without a worker starting them (removed, or never added) are dropped as found.
      for (;;) {
        const longest = await fair.longestWaiting();
        if (!longest) return undefined;
        const state = await queue.getJobState(longest.id);
        if (state === "waiting" || state === "prioritized") return longest.since;
        await fair.forget(longest.id);
      }
    },

    async failed(limit) {
      const [jobs, total] = await Promise.all([queue.getFailed(0, limit - 1), queue.getFailedCount()]);
      const failedJobs = jobs.map((job) => ({
        ...photoJobOf(job, "failed"),
        state: "failed" as const,
        error: parseFailureReason(job.failedReason),
      }));
      return { jobs: failedJobs, total };
    },

    async retry(id) {
      await (await queue.getJob(id))?.retry("failed", { resetAttemptsMade: true });
    },

    async remove(id) {
      await queue.remove(id);
      await fair.forget(id);
    },

    async delete(id) {
      // The mark first: a job a worker takes between the two still sees it.
      await redis.set(deletedKey(id), "1", "EX", DELETED_MARK_TTL_S);
      await queue.remove(id);
      await fair.forget(id);
    },

    isDeleted: async (id) => (await redis.exists(deletedKey(id))) === 1,

    pause: () => queue.pause(),
    resume: () => queue.resume(),

    async close() {
      await queue.close();
      // BullMQ leaves a connection it was given open.
      if (!connection) await redis.quit();
    },
  };
}

/** Longer than any job runs: the lock of a worker that died lapses, and its job is retried, within minutes. */
const DELETED_MARK_TTL_S = 24 * 3600;

export function paceOf(
  { running, takingJobs }: { running: number; takingJobs: boolean },
  runs: readonly Pick<PhotoJob, "startedAt" | "finishedAt">[],
): WorkerPace | undefined {
  const spans = runs.flatMap(({ startedAt, finishedAt }) =>
    startedAt !== undefined && finishedAt !== undefined ? [{ startedAt, finishedAt }] : [],
  );
  if (spans.length === 0) return undefined;
  const runTimes = spans.map(({ startedAt, finishedAt }) => finishedAt - startedAt).sort((a, b) => a - b);
  const middle = runTimes.length / 2;
  const medianRunMs = Number.isInteger(middle)
    ? (runTimes[middle - 1]! + runTimes[middle]!) / 2
    : runTimes[Math.floor(middle)]!;
  return { takingJobs, slots: Math.max(running, mostAtOnce(spans)), medianRunMs };
}

/** The most of `spans` that overlap at one moment; one that ends as another starts does not overlap it. */
function mostAtOnce(spans: readonly { startedAt: number; finishedAt: number }[]): number {
  const edges = spans
    .flatMap(({ startedAt, finishedAt }) => [
      { at: startedAt, change: 1 },
      { at: finishedAt, change: -1 },
    ])
    .sort((a, b) => a.at - b.at || a.change - b.change);
  let atOnce = 0;
  let most = 0;
  for (const { change } of edges) {
    atOnce += change;
    most = Math.max(most, atOnce);
  }
  return most;
}

function stateOf(state: string): PhotoJobState | undefined {
  switch (state) {
    case "active":
    case "delayed":
    case "completed":
    case "failed":
      return state;
    case "waiting":
    case "prioritized":
    case "waiting-children":
      return "waiting";
    default:
      // Removed between the two reads.
      return undefined;
  }
}

export function photoJobOf(job: Job<ProcessPhotoJob>, state: PhotoJobState): PhotoJob {
  const progress = jobProgressSchema.safeParse(job.progress);
  return {
    state,
    data: job.data,
    progress: progress.success ? progress.data : undefined,
    attemptsStarted: job.attemptsStarted,
    attemptsMade: job.attemptsMade,
    stalls: job.stalledCounter,
    addedAt: job.timestamp,
    startedAt: job.processedOn,
    finishedAt: job.finishedOn,
    error: state === "failed" ? parseFailureReason(job.failedReason) : undefined,
  };
}
