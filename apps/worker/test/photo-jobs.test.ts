import { freePort, startWorkerProcess, type StartedProcess } from "@darkroom/devstack";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { noisyPhoto, solidImage } from "@darkroom/imaging/testing";
import { photoQueueFromEnv } from "@darkroom/queue";
import { obliteratePhotoQueue } from "@darkroom/queue/testing";
import { readManifest, storageFromEnv } from "@darkroom/storage";
import { storedUpload } from "@darkroom/storage/testing";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

describe("a worker process running photo jobs", () => {
  const env = isolatedEnv();
  const storage = storageFromEnv(env);
  const queue = photoQueueFromEnv(env);
  const workers: StartedProcess[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  });
  afterAll(async () => {
    await queue.close();
    await obliteratePhotoQueue(env);
  });

  async function startWorker(overrides: Record<string, string> = {}): Promise<StartedProcess> {
    const worker = await startWorkerProcess({ ...env, ...overrides });
    workers.push(worker);
    return worker;
  }

  /** Stores `photo` as an original, unless it is undefined, and enqueues its job; returns the upload id. */
  async function enqueue(photo: Buffer | undefined): Promise<string> {
    const upload = await storedUpload(storage, photo);
    await queue.enqueue(upload);
    return upload.id;
  }

  const stateOf = async (id: string) => (await queue.find(id))?.state;

  it("finishes the job in hand when it gets SIGTERM, then exits cleanly", async () => {
    const worker = await startWorker();
    const exited = new Promise<number | null>((resolve) => worker.child.once("exit", resolve));
    const id = await enqueue(await noisyPhoto(3000, 2000));
    await vi.waitFor(async () => expect(await stateOf(id)).toBe("active"), {
      timeout: 10_000,
      interval: 20,
    });

    worker.child.kill("SIGTERM");

    expect(await exited).toBe(0);
    expect(await stateOf(id)).toBe("completed");
    expect((await readManifest(storage, id))?.variants).toHaveLength(6);
  });

  it("retries with backoff while S3 is unreachable, and completes once it is back", async () => {
    const id = await enqueue(await solidImage(800, 600));
    await startWorker({ S3_ENDPOINT: `http://127.0.0.1:${await freePort()}` });

    await vi.waitFor(
      async () => {
        const current = await queue.find(id);
        expect(current?.attemptsMade).toBeGreaterThanOrEqual(1);
        expect(current?.state).toBe("delayed");
      },
      { timeout: 15_000, interval: 50 },
    );
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    await startWorker();

    await vi.waitFor(async () => expect(await stateOf(id)).toBe("completed"), {
      timeout: 20_000,
      interval: 50,
    });
    expect((await queue.find(id))?.attemptsMade).toBeGreaterThanOrEqual(1);
    expect((await readManifest(storage, id))?.status).toBe("completed");
  });

  it("fails a job whose original is gone at once, without retrying", async () => {
    await startWorker();
    const id = await enqueue(undefined);

    await vi.waitFor(async () => expect(await stateOf(id)).toBe("failed"), {
      timeout: 10_000,
      interval: 50,
    });
    expect((await queue.find(id))?.attemptsMade).toBe(1);
    expect(await readManifest(storage, id)).toMatchObject({
      status: "failed",
      error: { code: "PROCESSING_FAILED" },
    });
  });
});
