import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWorkerProcess, untilApiReady, type StartedProcess } from "@darkroom/devstack";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { createProducerConnection, photoQueueFromEnv, type PhotoQueue } from "@darkroom/queue";
import { obliteratePhotoQueue } from "@darkroom/queue/testing";
import { createLogger } from "@darkroom/runtime";
import { storageFromEnv, type ObjectStorage } from "@darkroom/storage";
import { loadConfig, type ApiConfig } from "../../src/env";
import { startApiServer, type RunningApi } from "../../src/server";
import { newCaller, type Caller } from "./client";

/** The admin's credentials in every test stack. */
export const TEST_ADMIN = { user: "admin", password: "test-admin-password" };
export const ADMIN_HEADERS = {
  authorization: `Basic ${Buffer.from(`${TEST_ADMIN.user}:${TEST_ADMIN.password}`).toString("base64")}`,
};

/**
 * A running API, and a caller of it: the test's own owner, with an API token.
 * `newCaller(api.url)` makes another owner.
 */
export interface TestApi extends RunningApi, Caller {
  env: Record<string, string>;
  config: ApiConfig;
  /** Where uploads are spooled; holds no file once every request is answered. */
  spoolDir: string;
  spooledFiles(): Promise<string[]>;
  storage: ObjectStorage;
  queue: PhotoQueue;
  /** Jobs in the queue, in any state. */
  jobCount(): Promise<number>;
  /** Starts a worker process on this API's queue and bucket prefix. */
  startWorker(): Promise<StartedProcess>;
  close(): Promise<void>;
}

export async function startTestApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  const spoolDir = await mkdtemp(join(tmpdir(), "darkroom-spool-"));
  const env = isolatedEnv({
    PORT: "0",
    UPLOAD_SPOOL_DIR: spoolDir,
    ADMIN_USER: TEST_ADMIN.user,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    // Tests poll an upload's status ten times a second, from one address.
    READ_RATE_LIMIT: "0",
    ...overrides,
  });
  const config = loadConfig(env);
  const api = await startApiServer(config, createLogger("api-test", env.LOG_LEVEL!));
  await untilApiReady(api.url);
  const { headers } = await newCaller(api.url);
  const storage = storageFromEnv(env);
  const connection = createProducerConnection(config.queue.redisUrl).on("error", () => undefined);
  const queue = photoQueueFromEnv(env, { connection });
  const workers: StartedProcess[] = [];

  return {
    ...api,
    headers,
    env,
    config,
    spoolDir,
    spooledFiles: () => readdir(spoolDir),
    storage,
    queue,
    async jobCount() {
      return Object.values(await queue.counts()).reduce((sum, count) => sum + count, 0);
    },
    async startWorker() {
      const worker = await startWorkerProcess(env);
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.stop()));
      await api.close();
      await queue.close();
      connection.disconnect();
      await obliteratePhotoQueue(env);
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}
