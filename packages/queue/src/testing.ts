import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { queueConfigFromEnv, queueEnvSchema } from "./config";
import { paceOf, photoJobOf, type JobCounts, type PhotoJob, type PhotoQueue } from "./photo-queue";
import type { ProcessPhotoJob } from "./photo-job";

/** What tests of the real queue read or do that no app needs. */
export interface QueueInspector {
  /** Jobs a worker holds now. */
  active(): Promise<PhotoJob[]>;
  /** Ids the queue's event stream reports completed more than once: a job done twice. */
  completedMoreThanOnce(): Promise<string[]>;
  /** Removes the jobs waiting. */
  drain(): Promise<void>;
  /** Deletes the queue and everything in it. */
  obliterate(): Promise<void>;
  close(): Promise<void>;
}

/** The queue an environment names, as `photoQueueFromEnv` opens it. */
export function inspectPhotoQueue(env: Record<string, string | undefined>): QueueInspector {
  const config = queueConfigFromEnv(queueEnvSchema.parse(env));
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  // Redis may go away on purpose in these tests.
  redis.on("error", () => undefined);
  const queue = new Queue<ProcessPhotoJob>(config.name, { connection: redis, prefix: config.prefix });
  return {
    active: async () => (await queue.getActive()).map((job) => photoJobOf(job, "active")),
    async completedMoreThanOnce() {
      const completions = new Map<string, number>();
      for (const [, fields] of await redis.xrange(queue.toKey("events"), "-", "+")) {
        const event = new Map(fields.flatMap((field, i) => (i % 2 ? [] : [[field, fields[i + 1]]])));
        const jobId = event.get("jobId");
        if (event.get("event") === "completed" && jobId)
          completions.set(jobId, (completions.get(jobId) ?? 0) + 1);
      }
      return [...completions].filter(([, count]) => count > 1).map(([id]) => id);
    },
    drain: () => queue.drain(),
    obliterate: () => queue.obliterate({ force: true }),
    async close() {
      await queue.close();
      await redis.quit();
    },
  };
}

/** An in-memory photo queue for fast tests of the code that uses one: jobs move only when a test says. */
export interface MemoryPhotoQueue extends PhotoQueue {
  jobs: Map<string, PhotoJob>;
  /** Ids in line, next first. */
  line: string[];
  available: boolean;
  /** Whether `pause` was called last, rather than `resume`: the workers would take no jobs. */
  paused: boolean;
  /** Puts a job in `state`, with the fields given. */
  set(id: string, fields: Partial<PhotoJob> & Pick<PhotoJob, "state">): void;
}

export function createMemoryPhotoQueue(): MemoryPhotoQueue {
  const jobs = new Map<string, PhotoJob>();
  const line: string[] = [];
  const deleted = new Set<string>();
  /** As Redis answers: asynchronously, and failing at once while it is away. */
  const answer = <T>(read: () => T) =>
    new Promise<T>((resolve) => {
      if (!memory.available) throw new Error("Connection is closed.");
      resolve(read());
    });
  const inState = (state: PhotoJob["state"]) => [...jobs.values()].filter((job) => job.state === state);
  const leaveLine = (id: string) => line.includes(id) && line.splice(line.indexOf(id), 1);

  const memory: MemoryPhotoQueue = {
    jobs,
    line,
    available: true,
    paused: false,
    set(id, fields) {
      const job = jobs.get(id) ?? (fields.data && newJob(fields.data));
      if (!job) throw new Error(`No job ${id}: give its data`);
      jobs.set(id, { ...job, ...fields });
      if (fields.state !== "waiting") leaveLine(id);
      else if (!line.includes(id)) line.push(id);
    },
    isAvailable: () => memory.available,
    enqueue: (data) =>
      answer(() => void (jobs.has(data.id) || memory.set(data.id, { state: "waiting", data }))),
    find: (id) => answer(() => jobs.get(id)),
    positionInLine: (id) => answer(() => (line.includes(id) ? line.indexOf(id) + 1 : undefined)),
    waitingCount: () => answer(() => inState("waiting").length),
    counts: () =>
      answer(() => {
        const states = ["waiting", "delayed", "active", "completed", "failed"] as const;
        return Object.fromEntries(states.map((state) => [state, inState(state).length])) as JobCounts;
      }),
    workerCount: () => answer(() => 0),
    pace: (sample) =>
      answer(() =>
        paceOf(
          { running: inState("active").length, takingJobs: !memory.paused },
          inState("completed").slice(-sample),
        ),
      ),
    // The in-memory queue keeps no enqueue times.
    oldestWaitingSince: () => answer(() => undefined),
    failed: (limit) =>
      answer(() => {
        const failed = inState("failed").flatMap((job) =>
          job.error ? [{ ...job, state: "failed" as const, error: job.error }] : [],
        );
        return { jobs: failed.slice(0, limit), total: failed.length };
      }),
    retry: (id) => answer(() => memory.set(id, { state: "waiting", attemptsMade: 0, error: undefined })),
    remove: (id) => answer(() => void (jobs.delete(id) && leaveLine(id))),
    delete: (id) =>
      answer(() => {
        deleted.add(id);
        if (jobs.get(id)?.state !== "active") void (jobs.delete(id) && leaveLine(id));
      }),
    isDeleted: (id) => answer(() => deleted.has(id)),
    pause: () => answer(() => void (memory.paused = true)),
    resume: () => answer(() => void (memory.paused = false)),
    close: () => Promise.resolve(),
  };
  return memory;
}

function newJob(data: ProcessPhotoJob): PhotoJob {
  return {
    state: "waiting",
    data,
    progress: undefined,
    attemptsStarted: 0,
    attemptsMade: 0,
    stalls: 0,
    addedAt: Date.now(),
    startedAt: undefined,
    finishedAt: undefined,
    error: undefined,
  };
}

/** Deletes the queue an environment names, and everything in it: a test's clean-up. */
export async function obliteratePhotoQueue(env: Record<string, string | undefined>): Promise<void> {
  const inspector = inspectPhotoQueue(env);
  try {
    await inspector.obliterate();
  } finally {
    await inspector.close();
  }
}
