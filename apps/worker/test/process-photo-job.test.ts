import { freePort, startWorkerProcess, type StartedProcess } from "@darkroom/devstack";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { noisyPhoto, solidImage } from "@darkroom/imaging/testing";
import { createPhotoQueue, PROCESS_PHOTO, queueConfigFromEnv, queueEnvSchema } from "@darkroom/queue";
import { createS3Storage, objectKeys, readManifest, s3ConfigFromEnv, s3EnvSchema } from "@darkroom/storage";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

describe("the worker process running process-photo jobs", () => {
  const env = isolatedEnv();
  const storage = createS3Storage(s3ConfigFromEnv(s3EnvSchema.parse(env)));
  const queue = createPhotoQueue(queueConfigFromEnv(queueEnvSchema.parse(env)));
  const workers: StartedProcess[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  async function startWorker(overrides: Record<string, string> = {}): Promise<StartedProcess> {
    const worker = await startWorkerProcess({ ...env, ...overrides });
    workers.push(worker);
    return worker;
  }

  /** Stores `photo` as an original, unless it is undefined, and enqueues its job. */
  async function enqueue(photo: Buffer | undefined) {
    const id = crypto.randomUUID();
    if (photo) await storage.put(objectKeys.original(id), photo, "image/jpeg");
    return queue.add(
      PROCESS_PHOTO,
      {
        id,
        originalKey: objectKeys.original(id),
        contentType: "image/jpeg",
        bytes: photo?.byteLength ?? 1,
        filename: "photo.jpg",
        uploadedAt: new Date().toISOString(),
      },
      { jobId: id },
    );
  }

  it("finishes the job in hand when it gets SIGTERM, then exits cleanly", async () => {
    const worker = await startWorker();
    const exited = new Promise<number | null>((resolve) => worker.child.once("exit", resolve));
    const job = await enqueue(await noisyPhoto(3000, 2000));
    await vi.waitFor(async () => expect(await job.getState()).toBe("active"), {
      timeout: 10_000,
      interval: 20,
    });

    worker.child.kill("SIGTERM");

    expect(await exited).toBe(0);
    expect(await job.getState()).toBe("completed");
    expect((await readManifest(storage, job.data.id))?.variants).toHaveLength(6);
  });

  it("retries with backoff while S3 is unreachable, and completes once it is back", async () => {
    const job = await enqueue(await solidImage(800, 600));
    await startWorker({ S3_ENDPOINT: `http://127.0.0.1:${await freePort()}` });

    await vi.waitFor(
      async () => {
        const current = await queue.getJob(job.id!);
        expect(current?.attemptsMade).toBeGreaterThanOrEqual(1);
        expect(await current?.getState()).toBe("delayed");
      },
      { timeout: 15_000, interval: 50 },
    );
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    await startWorker();

    await vi.waitFor(async () => expect(await job.getState()).toBe("completed"), {
      timeout: 20_000,
      interval: 50,
    });
    const done = await queue.getJob(job.id!);
    expect(done?.attemptsMade).toBeGreaterThanOrEqual(1);
    expect((await readManifest(storage, job.data.id))?.status).toBe("completed");
  });

  it("fails a job whose original is gone at once, without retrying", async () => {
    await startWorker();
    const job = await enqueue(undefined);

    await vi.waitFor(async () => expect(await job.getState()).toBe("failed"), {
      timeout: 10_000,
      interval: 50,
    });
    const failed = await queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(await readManifest(storage, job.data.id)).toMatchObject({
      status: "failed",
      error: { code: "PROCESSING_FAILED" },
    });
  });
});
