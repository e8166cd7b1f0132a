import { fileURLToPath } from "node:url";
import { startProcess, typeScriptEntry, type StartedProcess } from "@darkroom/devstack";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { createPhotoQueue, PROCESS_PHOTO, queueConfigFromEnv, queueEnvSchema, type PhotoQueue } from "@darkroom/queue";
import { createS3Storage, objectKeys, readManifest, s3ConfigFromEnv, s3EnvSchema } from "@darkroom/storage";
import { afterAll, describe, expect, it, vi } from "vitest";

const WORKER_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

describe("worker process", () => {
  const env = isolatedEnv();
  const storage = createS3Storage(s3ConfigFromEnv(s3EnvSchema.parse(env)));
  const queue: PhotoQueue = createPhotoQueue(queueConfigFromEnv(queueEnvSchema.parse(env)));
  let worker: StartedProcess | undefined;
  afterAll(async () => {
    await worker?.stop();
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it("finishes the job in hand when it gets SIGTERM, then exits cleanly", async () => {
    const id = crypto.randomUUID();
    const photo = await noisyPhoto(3000, 2000);
    await storage.put(objectKeys.original(id), photo, "image/jpeg");
    worker = await startProcess(process.execPath, typeScriptEntry(WORKER_MAIN), {
      readyWhen: /"worker ready"/,
      timeoutMs: 30_000,
      env: { ...process.env, ...env, LOG_LEVEL: "info" },
    });
    const exited = new Promise<number | null>((resolve) => worker!.child.once("exit", resolve));

    const job = await queue.add(
      PROCESS_PHOTO,
      {
        id,
        originalKey: objectKeys.original(id),
        contentType: "image/jpeg",
        bytes: photo.byteLength,
        filename: "big.jpg",
        uploadedAt: new Date().toISOString(),
      },
      { jobId: id },
    );
    await vi.waitFor(async () => expect(await job.getState()).toBe("active"), { timeout: 10_000, interval: 20 });
    worker.child.kill("SIGTERM");

    expect(await exited).toBe(0);
    expect(await job.getState()).toBe("completed");
    expect((await readManifest(storage, id))?.variants).toHaveLength(6);
  });
});
