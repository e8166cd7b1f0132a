import { randomUUID } from "node:crypto";
import {
  failedJobListSchema,
  queueCountsSchema,
  type FailedJob,
  type StoredOriginal,
} from "@darkroom/contracts";
import { noisyPhoto, solidImage } from "@darkroom/imaging/testing";
import { failedOriginalTag, objectKeys } from "@darkroom/storage";
import { objectTags } from "@darkroom/storage/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { acceptedUpload, call, errorBody, ownerIdOf, postUpload, waitUntilFinished } from "./support/client";
import { ADMIN_HEADERS, startTestApi, type TestApi } from "./support/test-stack";

describe("the dead-letter set: failed jobs, listed, retried and discarded", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await api.startWorker();
  });
  afterAll(() => api?.close());

  async function failedJobs(): Promise<FailedJob[]> {
    const response = await call(api, "/api/jobs/failed", { headers: ADMIN_HEADERS });
    expect(response.status).toBe(200);
    return failedJobListSchema.parse(await response.json()).jobs;
  }

  async function failedJob(id: string): Promise<FailedJob | undefined> {
    return (await failedJobs()).find((job) => job.id === id);
  }

  it("lists a job failed by bad input with its reason code, and discards it with every object", async () => {
    const whole = await solidImage(1600, 1200);
    const truncated = whole.subarray(0, Math.floor(whole.byteLength / 2));
    const { id } = await acceptedUpload(await postUpload(api, truncated, "broken.jpg"));
    await waitUntilFinished(api, id);

    expect(await failedJob(id)).toMatchObject({
      id,
      filename: "broken.jpg",
      attemptsMade: 1,
      error: { code: "IMAGE_CORRUPT", message: expect.stringMatching(/premature end/i) as unknown },
    });

    const discarded = await call(api, `/api/jobs/${id}`, { method: "DELETE", headers: ADMIN_HEADERS });

    expect(discarded.status).toBe(204);
    expect(await failedJob(id)).toBeUndefined();
    expect(await api.queue.find(id)).toBeUndefined();
    expect(await api.storage.listKeys(`originals/${id}`)).toEqual([]);
    expect(await api.storage.listKeys(`manifests/${id}`)).toEqual([]);
    expect((await call(api, `/api/uploads/${id}`)).status).toBe(404);
    const listing = (await (await call(api, "/api/uploads")).json()) as { uploads: { id: string }[] };
    expect(listing.uploads.map((upload) => upload.id)).not.toContain(id);
  });

  it("retries a failed job once its cause is fixed, and the upload completes", async () => {
    // A job whose original is not stored yet fails for good: "no longer in storage".
    const photo = await noisyPhoto(1200, 800);
    const upload: StoredOriginal = {
      id: randomUUID(),
      originalKey: "",
      contentType: "image/jpeg",
      bytes: photo.byteLength,
      filename: "late.jpg",
      uploadedAt: new Date().toISOString(),
      owner: await ownerIdOf(api),
    };
    upload.originalKey = objectKeys.original(upload.id);
    await api.queue.enqueue(upload);
    await vi.waitFor(async () => expect((await failedJob(upload.id))?.error.code).toBe("PROCESSING_FAILED"), {
      timeout: 20_000,
    });
    // Back, as failed originals are: tagged for the bucket's lifecycle rule to expire.
    await api.storage.put(upload.originalKey, photo, "image/jpeg");
    await api.storage.setTags(upload.originalKey, { [failedOriginalTag.key]: failedOriginalTag.value });

    const retried = await call(api, `/api/jobs/${upload.id}/retry`, {
      method: "POST",
      headers: ADMIN_HEADERS,
    });

    expect(retried.status).toBe(202);
    const done = await waitUntilFinished(api, upload.id);
    expect(done.status).toBe("completed");
    expect(done.variants).toHaveLength(6);
    expect(await failedJob(upload.id)).toBeUndefined();
    expect(await objectTags(api.config.s3, upload.originalKey)).toEqual({});
  });

  it("answers 409 JOB_NOT_FAILED to retrying a job that did not fail, and 404 to an unknown one", async () => {
    const { id } = await acceptedUpload(await postUpload(api, await noisyPhoto(800, 600)));
    await waitUntilFinished(api, id);

    const notFailed = await call(api, `/api/jobs/${id}/retry`, { method: "POST", headers: ADMIN_HEADERS });
    expect(notFailed.status).toBe(409);
    expect((await errorBody(notFailed)).error.code).toBe("JOB_NOT_FAILED");

    const unknown = await call(api, `/api/jobs/${randomUUID()}`, {
      method: "DELETE",
      headers: ADMIN_HEADERS,
    });
    expect(unknown.status).toBe(404);
  });

  it("counts jobs by state, and the workers connected", async () => {
    const response = await call(api, "/api/jobs/counts", { headers: ADMIN_HEADERS });

    expect(response.status).toBe(200);
    const counts = queueCountsSchema.parse(await response.json());
    expect(counts.workers).toBe(1);
    expect(counts.completed).toBeGreaterThanOrEqual(2);
    expect(counts.failed).toBe((await failedJobs()).length);
  });
});
