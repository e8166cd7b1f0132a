import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  devstackEnv,
  freePort,
  startApiProcess,
  startRedisServer,
  startS3Server,
  startWorkerProcess,
  untilApiReady,
  type RedisServer,
  type S3Server,
  type StartedProcess,
} from "@darkroom/devstack";
import { apiSessionSchema } from "@darkroom/contracts";
import { photoQueueFromEnv, type PhotoQueue } from "@darkroom/queue";
import { inspectPhotoQueue, type QueueInspector } from "@darkroom/queue/testing";
import { storageFromEnv, type ObjectStorage } from "@darkroom/storage";

/**
 * Settings that make faults show quickly: a dead worker's job is taken back
 * within about 3 s instead of a minute, and nothing is rate limited.
 */
const CHAOS_SETTINGS = {
  QUEUE_NAME: "chaos",
  JOB_LOCK_MS: "2000",
  STALLED_CHECK_MS: "1000",
  WORKER_CONCURRENCY: "2",
  UPLOAD_RATE_LIMIT: "0",
  // The ledger polls every upload's status four times a second.
  READ_RATE_LIMIT: "0",
};

/** A server a test can stop and start again, on the same port and data. */
export interface Restartable {
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface ChaosStack {
  apiUrls: string[];
  /** The API processes, in the order of `apiUrls`: to kill one. */
  apiProcesses: StartedProcess[];
  /** The test's owner: an API token, good on every instance. */
  token: string;
  /** What the apps were given. */
  env: Record<string, string>;
  /** The photo queue, to pause, resume and read jobs. */
  queue: PhotoQueue;
  /** What only a test reads of the queue: the jobs in hand, its event stream. */
  inspector: QueueInspector;
  storage: ObjectStorage;
  redis: Restartable;
  s3: Restartable;
  /** Starts one more worker process, with `overrides` on top of the stack's settings. */
  startWorker(overrides?: Record<string, string>): Promise<StartedProcess>;
  /** Stops every worker process, gracefully. */
  stopWorkers(): Promise<void>;
  /** Stops everything and deletes the data. */
  stop(): Promise<void>;
}

/**
 * A whole Darkroom on this machine, as separate processes: Redis keeping its
 * data in an append-only file as in production, the S3 server, `apis` API
 * processes and `workers` worker processes.
 */
export async function startChaosStack({
  apis: apiCount = 1,
  workers: workerCount = 1,
} = {}): Promise<ChaosStack> {
  const root = await mkdtemp(join(tmpdir(), "darkroom-chaos-"));
  const bucket = "darkroom";
  const redisPort = await freePort();
  const s3Dir = join(root, "s3");
  const startRedis = () => startRedisServer(root, { port: redisPort, persistent: true });
  let redis: RedisServer = await startRedis();
  let s3: S3Server = await startS3Server(s3Dir, bucket);
  const s3Port = s3.port;
  const env = { ...devstackEnv(redis, s3, bucket), ...CHAOS_SETTINGS };
  const workers: StartedProcess[] = [];

  const started = await Promise.all(
    Array.from({ length: apiCount }, async () => {
      const port = await freePort();
      const api = await startApiProcess({ ...env, PORT: String(port) });
      return { api, url: `http://127.0.0.1:${port}` };
    }),
  );
  const apis = started.map(({ api }) => api);
  const apiUrls = started.map(({ url }) => url);
  const startWorker = async (overrides: Record<string, string> = {}) => {
    const worker = await startWorkerProcess({ ...env, ...overrides });
    workers.push(worker);
    return worker;
  };
  for (let i = 0; i < workerCount; i++) await startWorker();
  const stopWorkers = async () => void (await Promise.all(workers.splice(0).map((worker) => worker.stop())));

  await untilApiReady(apiUrls[0]!);
  const session = await fetch(`${apiUrls[0]}/api/sessions`, { method: "POST" });
  const { token } = apiSessionSchema.parse(await session.json());

  // Its connection waits for Redis, which goes away on purpose.
  const queue = photoQueueFromEnv(env);
  const inspector = inspectPhotoQueue(env);

  return {
    apiUrls,
    apiProcesses: apis,
    token,
    env,
    queue,
    inspector,
    storage: storageFromEnv(env),
    redis: {
      stop: () => redis.process.stop(),
      start: async () => void (redis = await startRedis()),
    },
    s3: {
      stop: () => s3.process.stop(),
      start: async () => void (s3 = await startS3Server(s3Dir, bucket, s3Port)),
    },
    startWorker,
    stopWorkers,
    async stop() {
      await Promise.all([stopWorkers(), ...apis.map((api) => api.stop())]);
      await Promise.all([queue.close(), inspector.close()]);
      await Promise.all([redis.process.stop(), s3.process.stop()]);
      await rm(root, { recursive: true, force: true });
    },
  };
}
