import type { JobProgress } from "@darkroom/contracts";
import { DEFAULT_IMAGING_OPTIONS, renderPhoto } from "@darkroom/imaging";
import { solidImage } from "@darkroom/imaging/testing";
import { PhotoJobFailure, type PhotoJobRun } from "@darkroom/queue";
import { createLogger } from "@darkroom/runtime";
import { failedOriginalTag, readManifest, StorageUnavailableError } from "@darkroom/storage";
import { createMemoryStorage, storedUpload, type MemoryStorage } from "@darkroom/storage/testing";
import { Registry } from "prom-client";
import { beforeEach, describe, expect, it } from "vitest";
import { createPhotoJobHandler } from "../../src/handle-photo-job";
import { createJobMetrics } from "../../src/job-metrics";

describe("a photo job's outcome", () => {
  let storage: MemoryStorage;
  let registry: Registry;
  let handle: ReturnType<typeof createPhotoJobHandler>;
  beforeEach(() => {
    storage = createMemoryStorage();
    registry = new Registry();
    handle = createPhotoJobHandler({
      storage,
      imaging: DEFAULT_IMAGING_OPTIONS,
      render: renderPhoto,
      logger: createLogger("worker-test", "silent"),
      metrics: createJobMetrics(registry),
      // No upload here is deleted by its owner while it is processed.
      isDeleted: () => Promise.resolve(false),
    });
  });

  const upload = (original: Buffer | undefined) => storedUpload(storage, original);

  function run(data: unknown, fields: Partial<PhotoJobRun> = {}) {
    const reported: JobProgress[] = [];
    const attempt: PhotoJobRun = {
      data,
      attemptsStarted: 1,
      isLastAttempt: false,
      reportProgress: (progress) => Promise.resolve(void reported.push(progress)),
      ...fields,
    };
    return { attempt, reported };
  }

  async function attempts(outcome: string, code = ""): Promise<number> {
    const { values } = await registry.getSingleMetric("darkroom_jobs_total")!.get();
    return values.find(({ labels }) => labels.outcome === outcome && labels.code === code)?.value ?? 0;
  }

  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail("the job completed"),
      (error: unknown) => error,
    );

  it("completes a good photo: six variants, a manifest, each stage reported with its try", async () => {
    const job = await upload(await solidImage(640, 480));
    const { attempt, reported } = run(job, { attemptsStarted: 2 });

    await handle(attempt);

    expect((await readManifest(storage, job.id))?.variants).toHaveLength(6);
    expect(reported.map((progress) => progress.stage)).toEqual(
      expect.arrayContaining(["downloading", "decoding", "resizing", "storing"]),
    );
    expect(reported.every((progress) => progress.attempt === 2)).toBe(true);
    expect(await attempts("completed")).toBe(1);
  });

  it("fails a corrupt photo for good at once, recording why and tagging its original to expire", async () => {
    const whole = await solidImage(640, 480);
    const job = await upload(whole.subarray(0, whole.byteLength / 2));

    const error = await failureOf(handle(run(job).attempt));

    expect(error).toBeInstanceOf(PhotoJobFailure);
    expect((error as PhotoJobFailure).detail.code).toBe("IMAGE_CORRUPT");
    expect(await readManifest(storage, job.id)).toMatchObject({
      status: "failed",
      error: { code: "IMAGE_CORRUPT" },
    });
    expect(storage.objects.get(job.originalKey)?.tags).toEqual({
      [failedOriginalTag.key]: failedOriginalTag.value,
    });
    expect(await attempts("failed", "IMAGE_CORRUPT")).toBe(1);
  });

  it("fails for good a job whose original is gone", async () => {
    const job = await upload(undefined);

    const error = await failureOf(handle(run(job).attempt));

    expect((error as PhotoJobFailure).detail).toEqual({
      code: "PROCESSING_FAILED",
      message: "The original is no longer in storage.",
    });
    expect((await readManifest(storage, job.id))?.status).toBe("failed");
  });

  it("fails for good a job whose data is not an upload, without reading storage", async () => {
    storage.unavailable = true;

    const error = await failureOf(handle(run({ id: "not-an-upload" }).attempt));

    expect(error).toBeInstanceOf(PhotoJobFailure);
    expect((error as PhotoJobFailure).detail.code).toBe("PROCESSING_FAILED");
  });

  it("leaves a passing fault to be tried again, recording nothing while tries remain", async () => {
    const job = await upload(await solidImage(64, 48));
    storage.unavailable = true;

    const error = await failureOf(handle(run(job).attempt));

    expect(error).toBeInstanceOf(StorageUnavailableError);
    storage.unavailable = false;
    expect(await readManifest(storage, job.id)).toBeUndefined();
    expect(await attempts("retried", "STORAGE_UNAVAILABLE")).toBe(1);
  });

  it("fails a passing fault for good on the last try, with a reason that names no host", async () => {
    const job = await upload(await solidImage(64, 48));
    storage.unavailable = true;

    const error = await failureOf(handle(run(job, { isLastAttempt: true }).attempt));

    expect((error as PhotoJobFailure).detail).toEqual({
      code: "STORAGE_UNAVAILABLE",
      message: expect.not.stringMatching(/in memory/) as string,
    });
    expect(await attempts("failed", "STORAGE_UNAVAILABLE")).toBe(1);
  });

  it("takes the expiry tag off the original of an upload that runs again", async () => {
    const job = await upload(await solidImage(64, 48));
    storage.objects.get(job.originalKey)!.tags = { [failedOriginalTag.key]: failedOriginalTag.value };

    await handle(run(job, { attemptsStarted: 2 }).attempt);

    expect(storage.objects.get(job.originalKey)?.tags).toEqual({});
  });
});
