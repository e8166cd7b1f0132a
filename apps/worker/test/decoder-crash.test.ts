import { startWorkerProcess, type StartedProcess } from "@darkroom/devstack";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { crashingPhoto, noisyPhoto, TEST_CRASH_MARKER } from "@darkroom/imaging/testing";
import { photoQueueFromEnv } from "@darkroom/queue";
import { obliteratePhotoQueue } from "@darkroom/queue/testing";
import { readManifest, storageFromEnv } from "@darkroom/storage";
import { storedUpload } from "@darkroom/storage/testing";
import { afterAll, describe, expect, it, vi } from "vitest";

describe("a decode that crashes its render thread", () => {
  const env = isolatedEnv({ WORKER_CONCURRENCY: "4", IMAGING_TEST_CRASH_MARKER: TEST_CRASH_MARKER });
  const storage = storageFromEnv(env);
  const queue = photoQueueFromEnv(env);
  let worker: StartedProcess | undefined;
  afterAll(async () => {
    await worker?.stop();
    await queue.close();
    await obliteratePhotoQueue(env);
  });

  async function enqueue(photo: Buffer): Promise<string> {
    const upload = await storedUpload(storage, photo);
    await queue.enqueue(upload);
    return upload.id;
  }

  const until = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 60_000, interval: 50 });

  it("fails its own job with IMAGE_DECODER_CRASHED, while the three others on the worker complete and it stays up", async () => {
    worker = await startWorkerProcess(env);
    const { pid } = worker.child;
    const photo = await noisyPhoto(4000, 3000);
    const others = [await enqueue(photo), await enqueue(photo), await enqueue(photo)];
    await until(async () => {
      const states = await Promise.all(others.map(async (id) => (await queue.find(id))?.state));
      expect(states).toEqual(["active", "active", "active"]);
    });

    const crashing = await enqueue(await crashingPhoto());

    await until(async () => expect((await queue.find(crashing))?.state).toBe("failed"));
    const failed = await queue.find(crashing);
    expect(failed).toMatchObject({
      attemptsMade: 1,
      error: { code: "IMAGE_DECODER_CRASHED", message: expect.stringMatching(/memory/) as unknown },
    });
    expect(await readManifest(storage, crashing)).toMatchObject({
      status: "failed",
      error: { code: "IMAGE_DECODER_CRASHED" },
    });

    await until(async () => {
      const states = await Promise.all(others.map(async (id) => (await queue.find(id))?.state));
      expect(states).toEqual(["completed", "completed", "completed"]);
    });
    for (const id of others) {
      const other = await queue.find(id);
      // Running when the crashing decode began, and it cost them nothing: one try each, no stall.
      expect(other!.finishedAt).toBeGreaterThan(failed!.startedAt!);
      expect(other).toMatchObject({ attemptsStarted: 1, stalls: 0 });
      expect((await readManifest(storage, id))?.variants).toHaveLength(6);
    }
    expect([worker.child.pid, worker.child.exitCode, worker.child.signalCode]).toEqual([pid, null, null]);
    const after = await enqueue(photo);
    await until(async () => expect((await queue.find(after))?.state).toBe("completed"));
  }, 120_000);
});
