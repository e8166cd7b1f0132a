import { DEFAULT_IMAGING_OPTIONS, renderPhoto } from "@darkroom/imaging";
import { solidImage } from "@darkroom/imaging/testing";
import type { NotifyQueue, ProcessPhotoJob, UploadOutcome } from "@darkroom/queue";
import { createLogger } from "@darkroom/runtime";
import { createMemoryStorage, storedUpload, type MemoryStorage } from "@darkroom/storage/testing";
import { Registry } from "prom-client";
import { beforeEach, describe, expect, it } from "vitest";
import { createPhotoJobHandler } from "../../src/handle-photo-job";
import { createJobMetrics } from "../../src/job-metrics";
import { notifyOnFinish } from "../../src/notifications/notify-on-finish";

const logger = createLogger("worker-test", "silent");

describe("the webhook of an upload that ends", () => {
  let storage: MemoryStorage;
  let told: { id: string; outcome: UploadOutcome }[];
  let deleted: boolean;
  const handle = () =>
    createPhotoJobHandler({
      storage,
      imaging: DEFAULT_IMAGING_OPTIONS,
      render: renderPhoto,
      logger,
      metrics: createJobMetrics(new Registry()),
      isDeleted: () => Promise.resolve(deleted),
      notify: (upload, outcome) => Promise.resolve(void told.push({ id: upload.id, outcome })),
    });
  const run = (data: unknown, isLastAttempt = false) =>
    handle()({ data, attemptsStarted: 1, isLastAttempt, reportProgress: () => Promise.resolve() }).catch(
      () => undefined,
    );
  beforeEach(() => {
    storage = createMemoryStorage();
    told = [];
    deleted = false;
  });

  it("is added once the photo is done", async () => {
    const job = await storedUpload(storage, await solidImage(64, 48));
    await run(job);
    expect(told).toEqual([{ id: job.id, outcome: { status: "completed" } }]);
  });

  it("is added at once for a photo that cannot be processed, with why", async () => {
    const whole = await solidImage(64, 48);
    const job = await storedUpload(storage, whole.subarray(0, whole.byteLength / 2));
    await run(job);
    expect(told).toMatchObject([
      { id: job.id, outcome: { status: "failed", error: { code: "IMAGE_CORRUPT" } } },
    ]);
  });

  it("waits for the last try of a passing fault", async () => {
    const job = await storedUpload(storage, await solidImage(64, 48));
    storage.unavailable = true;
    await run(job);
    expect(told).toEqual([]);
    await run(job, true);
    expect(told).toMatchObject([{ outcome: { status: "failed", error: { code: "STORAGE_UNAVAILABLE" } } }]);
  });

  it("is not added for an upload its owner deleted meanwhile", async () => {
    deleted = true;
    await run(await storedUpload(storage, await solidImage(64, 48)));
    expect(told).toEqual([]);
  });

  it("never fails the upload when the notify queue cannot take it, nor is added without a notifyUrl", async () => {
    const added: string[] = [];
    const queue = (fails: boolean): NotifyQueue => ({
      enqueue: (job) =>
        fails ? Promise.reject(new Error("Redis away")) : Promise.resolve(void added.push(job.webhookId)),
      failedCount: () => Promise.resolve(0),
      close: () => Promise.resolve(),
    });
    const upload = (notifyUrl?: string): ProcessPhotoJob => ({
      id: "0b9c7a56-3d5e-4a43-9f3e-0d3c1a2b4c5d",
      originalKey: "originals/x",
      contentType: "image/jpeg",
      bytes: 1,
      filename: "a.jpg",
      uploadedAt: new Date().toISOString(),
      owner: "owner-1",
      ...(notifyUrl && { notifyUrl }),
    });

    await expect(
      notifyOnFinish(queue(true))(upload("https://hooks.example/"), { status: "completed" }, logger),
    ).resolves.toBeUndefined();
    await notifyOnFinish(queue(false))(upload(), { status: "completed" }, logger);
    await notifyOnFinish(queue(false))(upload("https://hooks.example/"), { status: "completed" }, logger);
    expect(added).toEqual(["msg_0b9c7a56-3d5e-4a43-9f3e-0d3c1a2b4c5d_completed"]);
  });
});
