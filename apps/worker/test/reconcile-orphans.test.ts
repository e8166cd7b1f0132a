import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { startWorkerProcess, type StartedProcess } from "@darkroom/devstack";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { noisyPhoto } from "@darkroom/imaging/testing";
import {
  createPhotoWorker,
  PhotoJobFailure,
  photoQueueFromEnv,
  queueConfigFromEnv,
  queueEnvSchema,
} from "@darkroom/queue";
import { inspectPhotoQueue } from "@darkroom/queue/testing";
import { createLogger } from "@darkroom/runtime";
import {
  createS3Storage,
  failedOriginalTag,
  objectKeys,
  originalMetadata,
  readManifest,
  s3ConfigFromEnv,
  s3EnvSchema,
} from "@darkroom/storage";
import { objectTags, storedUpload } from "@darkroom/storage/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { reconcileOrphans } from "../src/reconcile-orphans";

describe("the reconciler", () => {
  const env = isolatedEnv();
  const s3 = s3ConfigFromEnv(s3EnvSchema.parse(env));
  const storage = createS3Storage(s3);
  const queue = photoQueueFromEnv(env);
  const inspector = inspectPhotoQueue(env);
  const logger = createLogger("reconcile-test", "silent");
  const nothingDone = { requeued: [], recorded: [], removed: [] };
  let photo: Buffer;
  beforeAll(async () => {
    photo = await noisyPhoto(1200, 800);
  });
  afterAll(async () => {
    await inspector.obliterate();
    await Promise.all([queue.close(), inspector.close()]);
  });

  /** Whose the originals below are, as the API writes it in their metadata. */
  const owner = randomUUID();

  /** An original as the API stores it, then left without a job: the API died before enqueuing. */
  async function storeOriginal(filename = "orphan.jpg"): Promise<string> {
    const id = randomUUID();
    await storage.putStream(
      objectKeys.original(id),
      () => Readable.from([photo]),
      photo.byteLength,
      "image/jpeg",
      originalMetadata.of(filename, owner),
    );
    return id;
  }

  /** The job of an original `storeOriginal` stored. */
  const storedOriginal = (id: string) =>
    storedUpload(storage, undefined, { id, bytes: photo.byteLength, filename: "orphan.jpg" });

  it("enqueues originals with neither a manifest nor a job, and only those, as their owner's", async () => {
    const orphan = await storeOriginal("été à Paris.jpg");
    const finished = await storeOriginal();
    await storage.put(objectKeys.manifest(finished), Buffer.from("{}"), "application/json");
    const queued = await storeOriginal();
    await queue.enqueue(await storedOriginal(queued));

    const { requeued } = await reconcileOrphans({ storage, queue, logger, graceMs: 0 });

    expect(requeued).toEqual([orphan]);
    const job = await queue.find(orphan);
    expect(job?.data).toMatchObject({
      id: orphan,
      originalKey: objectKeys.original(orphan),
      contentType: "image/jpeg",
      bytes: photo.byteLength,
      filename: "été à Paris.jpg",
      owner,
    });
    expect(await reconcileOrphans({ storage, queue, logger, graceMs: 0 })).toEqual(nothingDone);
  });

  /** A direct upload as a client sends it: signed, PUT to storage, and then never completed. */
  async function sendDirect(body: Buffer, filename: string, contentType: string): Promise<string> {
    const id = randomUUID();
    const put = await storage.signPut(objectKeys.original(id), {
      bytes: body.byteLength,
      contentType,
      metadata: originalMetadata.of(filename, owner),
      expiresInS: 60,
    });
    const sent = await fetch(put.url, { method: "PUT", headers: put.headers, body });
    expect(sent.status).toBe(200);
    return id;
  }

  it("enqueues a direct upload never completed, with its name, its owner and the type its bytes show", async () => {
    const id = await sendDirect(photo, "left behind.jpg", "application/octet-stream");

    expect(await reconcileOrphans({ storage, queue, logger, graceMs: 0 })).toEqual({
      ...nothingDone,
      requeued: [id],
    });
    expect((await queue.find(id))?.data).toMatchObject({
      contentType: "image/jpeg",
      bytes: photo.byteLength,
      filename: "left behind.jpg",
      owner,
    });
  });

  it("deletes a direct upload never completed that is not an image, and enqueues nothing", async () => {
    const id = await sendDirect(
      Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"),
      "x.jpg",
      "image/jpeg",
    );

    expect(await reconcileOrphans({ storage, queue, logger, graceMs: 0 })).toEqual({
      ...nothingDone,
      removed: [id],
    });
    expect(await storage.head(objectKeys.original(id))).toBeUndefined();
    expect(await queue.find(id)).toBeUndefined();
  });

  it("records the failure of a failed job that has no manifest, so its status outlives the job", async () => {
    await inspector.drain(); // The worker below would fail the jobs earlier tests left waiting.
    const id = await storeOriginal();
    await queue.enqueue(await storedOriginal(id));
    // A last attempt that failed while S3 was away: the worker could not write the manifest.
    const worker = createPhotoWorker(
      queueConfigFromEnv(queueEnvSchema.parse(env)),
      () => {
        throw new PhotoJobFailure({ code: "STORAGE_UNAVAILABLE", message: "S3 is away." });
      },
      { concurrency: 1, lockMs: 30_000, stalledCheckMs: 30_000 },
    );
    try {
      await vi.waitFor(async () => expect((await queue.find(id))?.state).toBe("failed"), {
        timeout: 10_000,
      });
    } finally {
      await worker.close();
    }

    expect((await reconcileOrphans({ storage, queue, logger, graceMs: 0 })).recorded).toEqual([id]);
    expect(await readManifest(storage, id)).toMatchObject({
      status: "failed",
      error: { code: "STORAGE_UNAVAILABLE", message: "S3 is away." },
    });
    expect(await objectTags(s3, objectKeys.original(id))).toEqual({
      [failedOriginalTag.key]: failedOriginalTag.value,
    });
    expect((await reconcileOrphans({ storage, queue, logger, graceMs: 0 })).recorded).toEqual([]);
  });

  it("leaves originals younger than the grace period: their job may be on its way", async () => {
    await storeOriginal();
    expect(await reconcileOrphans({ storage, queue, logger, graceMs: 60_000 })).toEqual(nothingDone);
  });

  it("runs on its own in the worker, on a schedule, and the orphan completes as its owner's", async () => {
    let worker: StartedProcess | undefined;
    try {
      await inspector.obliterate();
      const orphan = await storeOriginal();
      worker = await startWorkerProcess({ ...env, RECONCILE_EVERY_S: "1", RECONCILE_GRACE_S: "0" });

      await vi.waitFor(async () => expect((await readManifest(storage, orphan))?.status).toBe("completed"), {
        timeout: 30_000,
        interval: 250,
      });
      expect((await readManifest(storage, orphan))?.owner).toBe(owner);
    } finally {
      await worker?.stop();
    }
  });
});
