import { FORMAT_MIME_TYPES, uploadSnapshotSchema, type UploadSnapshot } from "@darkroom/contracts";
import { sniffImageType } from "@darkroom/imaging";
import { BLUE, RED, isNear, noisyPhoto, orientedPhoto, pixelAt } from "@darkroom/imaging/testing";
import { objectKeys, readManifest } from "@darkroom/storage";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acceptedUpload,
  call,
  postUpload,
  SYNC_ENDPOINT,
  variantSizes,
  VARIANTS_OF_3000_BY_1500,
  waitUntilFinished,
} from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

const AVIF_OF_3000_BY_1500 = ["large.avif:2048x1024", "medium.avif:1280x640", "thumb.avif:320x160"];

describe("AVIF variants, with IMAGING_FORMATS=jpeg,webp,avif for the API and the worker", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ IMAGING_FORMATS: "jpeg,webp,avif" });
    await api.startWorker();
  });
  afterAll(() => api?.close());

  const completed = async (mode: "queued" | "sync", photo: Buffer): Promise<UploadSnapshot> => {
    if (mode === "sync") {
      const response = await postUpload(api, photo, "photo.jpg", SYNC_ENDPOINT);
      expect(response.status).toBe(201);
      return uploadSnapshotSchema.parse(await response.json());
    }
    const { id } = await acceptedUpload(await postUpload(api, photo));
    return waitUntilFinished(api, id, 30_000);
  };

  it.each(["queued", "sync"] as const)(
    "a %s upload completes with each size as JPEG, WebP and AVIF, the AVIFs real AVIF bytes, upright",
    async (mode) => {
      const done = await completed(mode, await orientedPhoto(6, 3000, 1500));

      expect(done.status).toBe("completed");
      expect(variantSizes(done)).toEqual([...VARIANTS_OF_3000_BY_1500, ...AVIF_OF_3000_BY_1500].sort());
      expect((await readManifest(api.storage, done.id))?.variants).toHaveLength(9);
      for (const variant of done.variants.filter(({ format }) => format === "avif")) {
        const response = await fetch(variant.url);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toBe(FORMAT_MIME_TYPES.avif);
        const image = Buffer.from(await response.arrayBuffer());
        expect(image.byteLength).toBe(variant.bytes);
        expect(await sniffImageType(image)).toBe("image/avif");
        const meta = await sharp(image).metadata();
        expect([meta.width, meta.height, meta.exif]).toEqual([variant.width, variant.height, undefined]);
        expect(isNear(await pixelAt(image, 5, 5), RED)).toBe(true);
        expect(isNear(await pixelAt(image, variant.width - 5, variant.height - 5), BLUE)).toBe(true);
      }
    },
  );

  it("stores a photo no bigger than 1280 px once for large and medium in AVIF too; it downloads as .avif; a delete removes it all", async () => {
    const done = await completed("queued", await noisyPhoto(1000, 750));

    const v = objectKeys.variantsOf(done.id);
    expect((await api.storage.listKeys(v)).sort()).toEqual(
      ["large.jpg", "large.webp", "large.avif", "thumb.jpg", "thumb.webp", "thumb.avif"]
        .map((key) => v + key)
        .sort(),
    );
    const path = (name: string) =>
      new URL(done.variants.find((variant) => variant.name === name && variant.format === "avif")!.url)
        .pathname;
    expect(path("medium")).toBe(path("large"));
    const redirect = await call(api, `/api/uploads/${done.id}/download/medium.avif`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    const file = await fetch(redirect.headers.get("location")!);
    expect(file.headers.get("content-type")).toBe("image/avif");
    expect(file.headers.get("content-disposition")).toBe(`attachment; filename="photo-medium.avif"`);

    expect((await call(api, `/api/uploads/${done.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await api.storage.listKeys(v)).toEqual([]);
  });
});
