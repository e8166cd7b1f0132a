import { randomUUID } from "node:crypto";
import type { UploadManifest } from "@darkroom/contracts";
import type { ProcessPhotoJob } from "@darkroom/queue";
import { createMemoryPhotoQueue, type MemoryPhotoQueue } from "@darkroom/queue/testing";
import { writeManifest } from "@darkroom/storage";
import { createMemoryStorage, storedUpload, type MemoryStorage } from "@darkroom/storage/testing";
import { beforeEach, describe, expect, it } from "vitest";
import {
  createUploadReader,
  ownedBy,
  type ReadUpload,
  type ReadSnapshot,
} from "../../src/uploads/upload-snapshot";
import { variantUrls } from "../../src/uploads/variant-urls";

const OWNER = { id: "owner-a" };
const STRANGER = { id: "owner-b" };

describe("an upload's snapshot, merged from its job and its manifest", () => {
  let queue: MemoryPhotoQueue;
  let storage: MemoryStorage;
  let readUpload: ReadUpload;
  let readOwned: ReadSnapshot;
  /** The snapshot as its owner reads it. */
  const read = (id: string) => readOwned(id, OWNER);
  beforeEach(() => {
    queue = createMemoryPhotoQueue();
    storage = createMemoryStorage();
    readUpload = createUploadReader({ queue, storage, variantUrl: variantUrls(storage, 3600) });
    readOwned = ownedBy(readUpload);
  });

  /** An upload's job, `OWNER`'s; `null` makes one from before owners, which has none. */
  const upload = (owner: string | null = OWNER.id) =>
    storedUpload(storage, undefined, {
      ...(owner !== null && { owner }),
      bytes: 1234,
      filename: "beach.jpg",
      uploadedAt: "2026-11-30T10:00:00.000Z",
      receiveMs: 42,
    });

  function manifest(job: ProcessPhotoJob, outcome: Pick<UploadManifest, "status" | "error">): UploadManifest {
    return {
      id: job.id,
      mode: "queued",
      ...(job.owner !== undefined && { owner: job.owner }),
      original: {
        key: job.originalKey,
        filename: job.filename,
        contentType: job.contentType,
        bytes: job.bytes,
      },
      variants: [],
      uploadedAt: job.uploadedAt,
      finishedAt: "2026-11-30T10:00:05.000Z",
      ...outcome,
    };
  }

  it("says a waiting upload is queued, with its place in line, file and timings", async () => {
    const [first, second] = [await upload(), await upload()];
    await queue.enqueue(first);
    await queue.enqueue(second);

    expect(await read(second.id)).toMatchObject({
      status: "queued",
      stage: "queued",
      progress: 0,
      queuePosition: 2,
      original: { filename: "beach.jpg", bytes: 1234 },
      timings: { uploadedAt: second.uploadedAt, receiveMs: 42 },
    });
  });

  it("counts an upload waiting out a retry's backoff as queued, without a place in line", async () => {
    const job = await upload();
    queue.set(job.id, { state: "delayed", data: job, attemptsMade: 1 });

    const snapshot = await read(job.id);

    expect(snapshot?.status).toBe("queued");
    expect(snapshot).not.toHaveProperty("queuePosition");
  });

  it("says a running upload is active, at the stage and try its worker last reported", async () => {
    const job = await upload();
    queue.set(job.id, {
      state: "active",
      data: job,
      attemptsStarted: 2,
      startedAt: Date.parse("2026-11-30T10:00:01.000Z"),
      progress: { stage: "resizing", variant: "medium", percent: 50 },
    });

    expect(await read(job.id)).toMatchObject({
      status: "active",
      stage: "resizing",
      variant: "medium",
      progress: 50,
      attempt: 2,
      timings: { startedAt: "2026-11-30T10:00:01.000Z" },
    });
  });

  it("gives a waiting or running upload an ETA from the workers' pace", async () => {
    const [done, running, first, second] = [await upload(), await upload(), await upload(), await upload()];
    await queue.enqueue(first);
    await queue.enqueue(second);
    queue.set(done.id, { state: "completed", data: done, startedAt: 10_000, finishedAt: 12_000 });
    queue.set(running.id, { state: "active", data: running, startedAt: Date.now() - 500 });

    // One job runs at a time, 2 s each: the 2nd in line starts after two of them, then runs its own.
    expect((await read(second.id))?.etaMs).toBe(6_000);
    expect((await read(running.id))?.etaMs).toBeGreaterThan(1_400);
    expect((await read(running.id))?.etaMs).toBeLessThanOrEqual(1_500);
  });

  it("gives no ETA before any job has completed", async () => {
    const [running, waiting] = [await upload(), await upload()];
    queue.set(running.id, { state: "active", data: running, startedAt: Date.now() });
    await queue.enqueue(waiting);

    expect(await read(running.id)).not.toHaveProperty("etaMs");
    expect(await read(waiting.id)).not.toHaveProperty("etaMs");
  });

  it("gives a waiting upload no ETA while the workers take no jobs, as when the queue is paused", async () => {
    const [done, waiting] = [await upload(), await upload()];
    queue.set(done.id, { state: "completed", data: done, startedAt: 10_000, finishedAt: 12_000 });
    await queue.enqueue(waiting);
    await queue.pause();

    expect(await read(waiting.id)).toMatchObject({ queuePosition: 1 });
    expect(await read(waiting.id)).not.toHaveProperty("etaMs");
  });

  it("says a taken upload whose worker has not reported yet is downloading", async () => {
    const job = await upload();
    queue.set(job.id, { state: "active", data: job, attemptsStarted: 1 });

    expect(await read(job.id)).toMatchObject({ status: "active", stage: "downloading", attempt: 1 });
  });

  it("answers a finished upload from its manifest, which outlives the job", async () => {
    const job = await upload();
    await writeManifest(storage, manifest(job, { status: "completed" }));

    expect(await read(job.id)).toMatchObject({ status: "completed", progress: 100, mode: "queued" });
  });

  it("gives a finished upload its manifest's thumbhash, and none when a manifest from before placeholders has none", async () => {
    const [withHash, older] = [await upload(), await upload()];
    await writeManifest(storage, {
      ...manifest(withHash, { status: "completed" }),
      thumbhash: "1QcSHQRnh493V4dIh4eXh1h4kJUI",
    });
    await writeManifest(storage, manifest(older, { status: "completed" }));

    expect((await read(withHash.id))?.thumbhash).toBe("1QcSHQRnh493V4dIh4eXh1h4kJUI");
    const snapshot = await read(older.id);
    expect(snapshot?.status).toBe("completed");
    expect(snapshot).not.toHaveProperty("thumbhash");
  });

  it("gives each variant of a finished upload a URL signed for its key in storage, and no key", async () => {
    const job = await upload();
    const key = `variants/${job.id}/thumb.webp`;
    const thumb = { name: "thumb", format: "webp", width: 320, height: 213, bytes: 9000 } as const;
    await writeManifest(storage, {
      ...manifest(job, { status: "completed" }),
      variants: [{ ...thumb, key }],
    });

    const [variant, ...others] = (await read(job.id))?.variants ?? [];
    expect(others).toEqual([]);
    const { url, ...described } = variant!;
    expect(described).toEqual(thumb);
    expect(url).toMatch(new RegExp(`^memory://storage/${key}\\?`));
  });

  it("prefers the manifest's failure to the failed job's, which a client may see shortened", async () => {
    const job = await upload();
    queue.set(job.id, { state: "failed", data: job, error: { code: "PROCESSING_FAILED", message: "x" } });
    await writeManifest(
      storage,
      manifest(job, { status: "failed", error: { code: "IMAGE_CORRUPT", message: "premature end" } }),
    );

    expect(await read(job.id)).toMatchObject({ status: "failed", error: { code: "IMAGE_CORRUPT" } });
  });

  it("answers a failed job that has no manifest from the job", async () => {
    const job = await upload();
    queue.set(job.id, { state: "failed", data: job, error: { code: "JOB_STALLED", message: "stalled" } });

    expect(await read(job.id)).toMatchObject({
      status: "failed",
      progress: 100,
      error: { code: "JOB_STALLED" },
      original: { filename: "beach.jpg" },
    });
  });

  it("knows nothing of an upload with neither job nor manifest", async () => {
    expect(await read(randomUUID())).toBeUndefined();
  });

  it("says whose an upload is, live or finished, and shows it to no other owner", async () => {
    const [waiting, finished] = [await upload(), await upload()];
    await queue.enqueue(waiting);
    await writeManifest(storage, manifest(finished, { status: "completed" }));

    for (const { id } of [waiting, finished]) {
      expect(await readUpload(id)).toMatchObject({ owner: OWNER.id, snapshot: { id } });
      expect(await readOwned(id, OWNER)).toMatchObject({ id });
      expect(await readOwned(id, STRANGER)).toBeUndefined();
    }
  });

  it("shows an upload made before owners, job or manifest, to nobody", async () => {
    const [waiting, finished] = [await upload(null), await upload(null)];
    await queue.enqueue(waiting);
    await writeManifest(storage, manifest(finished, { status: "completed" }));

    for (const { id } of [waiting, finished]) {
      expect(await readUpload(id)).toMatchObject({ owner: undefined, snapshot: { id } });
      for (const owner of [OWNER, STRANGER]) expect(await readOwned(id, owner)).toBeUndefined();
    }
  });

  it("while Redis is away, still answers finished uploads and refuses the rest with QUEUE_UNAVAILABLE", async () => {
    const [finished, running] = [await upload(), await upload()];
    await writeManifest(storage, manifest(finished, { status: "completed" }));
    queue.set(running.id, { state: "active", data: running });
    queue.available = false;

    expect((await read(finished.id))?.status).toBe("completed");
    await expect(read(running.id)).rejects.toMatchObject({ code: "QUEUE_UNAVAILABLE", status: 503 });
  });
});
