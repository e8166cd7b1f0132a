import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { startWorkerProcess, type StartedProcess } from "@darkroom/devstack";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { createPhotoQueue, PROCESS_PHOTO, queueConfigFromEnv, queueEnvSchema } from "@darkroom/queue";
import { createLogger } from "@darkroom/runtime";
import {
  createS3Storage,
  objectKeys,
  originalMetadata,
  readManifest,
  s3ConfigFromEnv,
  s3EnvSchema,
} from "@darkroom/storage";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { reconcileOrphans } from "../src/reconcile-orphans";

describe("the reconciler", () => {
  const env = isolatedEnv();
  const storage = createS3Storage(s3ConfigFromEnv(s3EnvSchema.parse(env)));
  const queue = createPhotoQueue(queueConfigFromEnv(queueEnvSchema.parse(env)));
  const logger = createLogger("reconcile-test", "silent");
  let photo: Buffer;
  beforeAll(async () => {
    photo = await noisyPhoto(1200, 800);
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  /** An original as the API stores it, then left without a job: the API died before enqueuing. */
  async function storeOriginal(filename = "orphan.jpg"): Promise<string> {
    const id = randomUUID();
    await storage.putStream(
      objectKeys.original(id),
      () => Readable.from([photo]),
      photo.byteLength,
      "image/jpeg",
      originalMetadata.of(filename),
    );
    return id;
  }

  it("enqueues originals with neither a manifest nor a job, and only those", async () => {
    const orphan = await storeOriginal("été à Paris.jpg");
    const finished = await storeOriginal();
    await storage.put(objectKeys.manifest(finished), Buffer.from("{}"), "application/json");
    const queued = await storeOriginal();
    await queue.add(
      PROCESS_PHOTO,
      {
        id: queued,
        originalKey: objectKeys.original(queued),
        contentType: "image/jpeg",
        bytes: photo.byteLength,
        filename: "queued.jpg",
        uploadedAt: new Date().toISOString(),
      },
      { jobId: queued },
    );

    const requeued = await reconcileOrphans({ storage, queue, logger, graceMs: 0 });

    expect(requeued).toEqual([orphan]);
    const job = await queue.getJob(orphan);
    expect(job?.data).toMatchObject({
      id: orphan,
      originalKey: objectKeys.original(orphan),
      contentType: "image/jpeg",
      bytes: photo.byteLength,
      filename: "été à Paris.jpg",
    });
    expect(await reconcileOrphans({ storage, queue, logger, graceMs: 0 })).toEqual([]);
  });

  it("leaves originals younger than the grace period: their job may be on its way", async () => {
    await storeOriginal();
    expect(await reconcileOrphans({ storage, queue, logger, graceMs: 60_000 })).toEqual([]);
  });

  it("runs on its own in the worker, on a schedule, and the orphan completes", async () => {
    let worker: StartedProcess | undefined;
    try {
      await queue.obliterate({ force: true });
      const orphan = await storeOriginal();
      worker = await startWorkerProcess({ ...env, RECONCILE_EVERY_S: "1", RECONCILE_GRACE_S: "0" });

      await vi.waitFor(async () => expect((await readManifest(storage, orphan))?.status).toBe("completed"), {
        timeout: 30_000,
        interval: 250,
      });
    } finally {
      await worker?.stop();
    }
  });
});
