import { uploadSnapshotSchema } from "@darkroom/contracts";
import { noisyPhoto, orientedPhoto } from "@darkroom/imaging/testing";
import { readManifest } from "@darkroom/storage";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  call,
  errorBody,
  getSnapshot,
  postUpload,
  SYNC_ENDPOINT,
  variantSizes,
  VARIANTS_OF_3000_BY_1500,
} from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

describe("sync upload: the same pipeline, run before the answer", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it("answers 201 with the finished variants, and the status answers the same afterwards", async () => {
    const response = await postUpload(api, await orientedPhoto(6, 3000, 1500), "rotated.jpg", SYNC_ENDPOINT);

    expect(response.status).toBe(201);
    const done = uploadSnapshotSchema.parse(await response.json());
    expect(response.headers.get("location")).toBe(`/api/uploads/${done.id}`);
    expect(done).toMatchObject({ mode: "sync", status: "completed", progress: 100 });
    expect(variantSizes(done)).toEqual(VARIANTS_OF_3000_BY_1500);
    expect(done.thumbhash).toMatch(/^[A-Za-z0-9+/]{20,}={0,2}$/);
    expect((await readManifest(api.storage, done.id))?.thumbhash).toBe(done.thumbhash);
    const thumb = done.variants.find((v) => v.name === "thumb" && v.format === "webp")!;
    const image = Buffer.from(await (await fetch(thumb.url)).arrayBuffer());
    expect((await sharp(image).metadata()).width).toBe(320);
    expect(await getSnapshot(api, done.id)).toEqual(done);
    expect(await api.jobCount()).toBe(0);
  });

  it("answers 422 IMAGE_CORRUPT with the decoder's reason to a truncated JPEG, and keeps nothing", async () => {
    const whole = await noisyPhoto(1200, 900);
    const keysBefore = await api.storage.listKeys("");

    const response = await postUpload(
      api,
      whole.subarray(0, whole.byteLength / 2),
      "broken.jpg",
      SYNC_ENDPOINT,
    );

    expect(response.status).toBe(422);
    const { error } = await errorBody(response);
    expect(error.code).toBe("IMAGE_CORRUPT");
    expect(error.message).toMatch(/premature end/i);
    expect(await api.storage.listKeys("")).toEqual(keysBefore);
    expect(await api.spooledFiles()).toEqual([]);
  });

  it("keeps nothing of an upload whose client gives up while it is processed", async () => {
    const keysBefore = await api.storage.listKeys("");
    const originalsBefore = keysBefore.filter((key) => key.startsWith("originals/")).length;
    const form = new FormData();
    form.append("file", new Blob([await noisyPhoto(4000, 3000)], { type: "image/jpeg" }), "slow.jpg");
    const client = new AbortController();

    const request = call(api, SYNC_ENDPOINT, {
      method: "POST",
      body: form,
      signal: client.signal,
    });
    // The original is stored just before processing starts: give up then.
    await vi.waitFor(
      async () => expect((await api.storage.listKeys("originals/")).length).toBe(originalsBefore + 1),
      {
        interval: 20,
      },
    );
    client.abort();

    await expect(request).rejects.toThrow();
    await vi.waitFor(async () => expect(await api.storage.listKeys("")).toEqual(keysBefore), {
      timeout: 15_000,
    });
    expect(await api.spooledFiles()).toEqual([]);
  });
});
