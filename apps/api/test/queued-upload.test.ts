import { FORMAT_MIME_TYPES, recentUploadsSchema } from "@darkroom/contracts";
import { BLUE, RED, isNear, noisyPhoto, orientedPhoto, pixelAt, solidImage } from "@darkroom/imaging/testing";
import { failedOriginalTag, objectKeys, readManifest } from "@darkroom/storage";
import { objectTags } from "@darkroom/storage/testing";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acceptedUpload,
  call,
  getSnapshot,
  postUpload,
  variantSizes,
  VARIANTS_OF_3000_BY_1500,
  waitUntilFinished,
} from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

describe("queued upload, through the API, Redis, S3 and a worker process", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await api.startWorker();
  });
  afterAll(() => api?.close());

  it("answers 202 at once, then completes with six upright variants that carry no metadata", async () => {
    const photo = await orientedPhoto(6, 3000, 1500);

    const accepted = await acceptedUpload(await postUpload(api, photo, "rotated.jpg"));
    expect(accepted.statusUrl).toBe(`/api/uploads/${accepted.id}`);
    expect(await api.spooledFiles()).toEqual([]);
    const done = await waitUntilFinished(api, accepted.id);

    expect(done).toMatchObject({ id: accepted.id, mode: "queued", status: "completed", progress: 100 });
    expect(variantSizes(done)).toEqual(VARIANTS_OF_3000_BY_1500);
    expect(done.thumbhash).toMatch(/^[A-Za-z0-9+/]{20,}={0,2}$/);
    expect((await readManifest(api.storage, accepted.id))?.thumbhash).toBe(done.thumbhash);
    for (const variant of done.variants) {
      const response = await fetch(variant.url);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(FORMAT_MIME_TYPES[variant.format]);
      const image = Buffer.from(await response.arrayBuffer());
      expect(image.byteLength).toBe(variant.bytes);
      const meta = await sharp(image).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([variant.format, variant.width, variant.height]);
      expect(meta.exif).toBeUndefined();
      expect(isNear(await pixelAt(image, 5, 5), RED)).toBe(true);
      expect(isNear(await pixelAt(image, variant.width - 5, variant.height - 5), BLUE)).toBe(true);
    }
  });

  it("still answers the status from the manifest once BullMQ has removed the job", async () => {
    const { id } = await acceptedUpload(await postUpload(api, await solidImage(800, 600)));
    const done = await waitUntilFinished(api, id);

    await api.queue.remove(id);
    expect(await api.queue.find(id)).toBeUndefined();

    expect(await getSnapshot(api, id)).toEqual(done);
  });

  it("answers with its request id, and hands it to the job, so the worker's logs join the API's", async () => {
    const given = await postUpload(api, await solidImage(400, 300), "a.jpg", undefined, {
      "X-Request-Id": "trace-4bf92f3577b34da6",
    });
    const garbled = await postUpload(api, await solidImage(400, 300), "b.jpg", undefined, {
      "X-Request-Id": "two\tlines",
    });

    expect(given.headers.get("x-request-id")).toBe("trace-4bf92f3577b34da6");
    const { id } = await acceptedUpload(given);
    expect((await api.queue.find(id))?.data.requestId).toBe("trace-4bf92f3577b34da6");
    expect(garbled.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps a UTF-8 file name, without its path or direction characters", async () => {
    const name = "../фото été\u202egpj.jpg";

    const { id } = await acceptedUpload(await postUpload(api, await solidImage(400, 300), name));
    await waitUntilFinished(api, id);

    expect((await readManifest(api.storage, id))?.original.filename).toBe("фото étégpj.jpg");
  });

  it("hands out variant URLs of storage itself, the same on every read, each cached privately", async () => {
    const { id } = await acceptedUpload(await postUpload(api, await solidImage(400, 300)));
    const done = await waitUntilFinished(api, id);
    const listed = recentUploadsSchema.parse(await (await call(api, "/api/uploads")).json());

    expect(listed.uploads.find((upload) => upload.id === id)).toEqual(done);
    expect(await getSnapshot(api, id)).toEqual(done);
    for (const variant of done.variants) {
      const url = new URL(variant.url);
      // Signed for the endpoint browsers reach storage at, which is, here, where the API reaches it.
      expect(url.origin).toBe(api.config.s3.publicEndpoint);
      // 400 px fits every size but the thumb: medium shares the large one's object.
      const stored = variant.name === "medium" ? "large" : variant.name;
      expect(url.pathname).toMatch(new RegExp(`/${objectKeys.variantsOf(id)}${stored}\\.(jpg|webp)$`));
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("private, max-age=1800, immutable");
    }
  });

  it("stores a photo no bigger than 1280 px once for large and medium, and still lists six variants that load", async () => {
    const { id } = await acceptedUpload(await postUpload(api, await noisyPhoto(1000, 750)));
    const done = await waitUntilFinished(api, id, 30_000);

    expect(done.status).toBe("completed");
    expect(variantSizes(done)).toEqual([
      "large.jpeg:1000x750",
      "large.webp:1000x750",
      "medium.jpeg:1000x750",
      "medium.webp:1000x750",
      "thumb.jpeg:320x240",
      "thumb.webp:320x240",
    ]);
    const v = objectKeys.variantsOf(id);
    expect((await api.storage.listKeys(v)).sort()).toEqual(
      [`${v}large.jpg`, `${v}large.webp`, `${v}thumb.jpg`, `${v}thumb.webp`].sort(),
    );
    for (const variant of done.variants) {
      const response = await fetch(variant.url);
      expect(response.status).toBe(200);
      const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([variant.format, variant.width, variant.height]);
    }
  });

  it("stores six distinct objects for a photo larger than every size", async () => {
    const { id } = await acceptedUpload(await postUpload(api, await noisyPhoto(3000, 2000)));
    const done = await waitUntilFinished(api, id, 30_000);

    expect(done.variants).toHaveLength(6);
    expect(await api.storage.listKeys(objectKeys.variantsOf(id))).toHaveLength(6);
    expect(new Set(done.variants.map((variant) => new URL(variant.url).pathname)).size).toBe(6);
  });

  it("fails a corrupt image once, with the decoder's reason, and never retries it", async () => {
    const whole = await solidImage(1600, 1200);
    const truncated = whole.subarray(0, Math.floor(whole.byteLength / 2));

    const { id } = await acceptedUpload(await postUpload(api, truncated, "broken.jpg"));
    const done = await waitUntilFinished(api, id);

    expect(done.status).toBe("failed");
    expect(done.error?.code).toBe("IMAGE_CORRUPT");
    expect(done.error?.message).toMatch(/premature end/i);
    expect(done.variants).toEqual([]);
    expect(await api.queue.find(id)).toMatchObject({ state: "failed", attemptsMade: 1 });
    expect(await api.storage.listKeys(`variants/${id}/`)).toEqual([]);
    expect(await api.storage.head(objectKeys.manifest(id))).toBeDefined();
    // Kept for a while, then expired by the bucket's lifecycle rule.
    expect(await objectTags(api.config.s3, objectKeys.original(id))).toEqual({
      [failedOriginalTag.key]: failedOriginalTag.value,
    });
  });
});
