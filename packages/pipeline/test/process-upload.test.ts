import { randomUUID } from "node:crypto";
import type { ErrorDetail, StoredOriginal } from "@darkroom/contracts";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { imagingOptionsFromEnv, imagingEnvSchema } from "@darkroom/imaging";
import { noisyPhoto } from "@darkroom/imaging/testing";
import {
  createS3Storage,
  failedOriginalTag,
  objectKeys,
  s3ConfigFromEnv,
  s3EnvSchema,
} from "@darkroom/storage";
import { objectTags } from "@darkroom/storage/testing";
import { describe, expect, it } from "vitest";
import { processUpload, writeFailure } from "../src";

/** A stored original in a bucket of its own, and what the pipeline needs to process it. */
async function storedUpload() {
  const env = isolatedEnv();
  const s3 = s3ConfigFromEnv(s3EnvSchema.parse(env));
  const storage = createS3Storage(s3);
  const deps = { storage, imaging: imagingOptionsFromEnv(imagingEnvSchema.parse(env)) };
  const photo = await noisyPhoto(1600, 1000);
  const id = randomUUID();
  const upload: StoredOriginal = {
    id,
    originalKey: objectKeys.original(id),
    contentType: "image/jpeg",
    bytes: photo.byteLength,
    filename: "photo.jpg",
    uploadedAt: new Date().toISOString(),
  };
  await storage.put(upload.originalKey, photo, "image/jpeg");
  return { s3, storage, deps, id, upload };
}

describe("processUpload run twice on the same upload, as after a worker crash", () => {
  it("writes the same keys with the same variants: the second run only overwrites", async () => {
    const { storage, deps, id, upload } = await storedUpload();

    const first = await processUpload(deps, upload, "queued");
    const keysAfterFirst = await storage.listKeys("");
    const thumbKey = objectKeys.variant(id, "thumb", "webp");
    const thumbAfterFirst = await storage.getBuffer(thumbKey);
    const second = await processUpload(deps, upload, "queued");

    expect(await storage.listKeys("")).toEqual(keysAfterFirst);
    expect(keysAfterFirst).toHaveLength(1 + 6 + 1);
    expect(second.variants).toEqual(first.variants);
    expect(await storage.getBuffer(thumbKey)).toEqual(thumbAfterFirst);
  });
});

describe("the original of an upload that failed for good", () => {
  const failure: ErrorDetail = { code: "IMAGE_CORRUPT", message: "Premature end of JPEG image" };

  it("is tagged for the bucket's lifecycle rule to expire, and untagged by a retry that completes", async () => {
    const { s3, storage, deps, upload } = await storedUpload();

    await writeFailure(storage, upload, "queued", failure);
    expect(await objectTags(s3, upload.originalKey)).toEqual({
      [failedOriginalTag.key]: failedOriginalTag.value,
    });

    await processUpload(deps, upload, "queued");
    expect(await objectTags(s3, upload.originalKey)).toEqual({});
  });

  it("is recorded as failed even when the original is gone", async () => {
    const { storage, id, upload } = await storedUpload();
    await storage.deleteMany([upload.originalKey]);

    await writeFailure(storage, upload, "queued", failure);
    expect(await storage.head(objectKeys.manifest(id))).toBeDefined();
  });
});
