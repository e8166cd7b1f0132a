import { isolatedEnv } from "@darkroom/devstack/testing";
import { imagingOptionsFromEnv, imagingEnvSchema, renderPhoto } from "@darkroom/imaging";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { objectKeys, storageFromEnv } from "@darkroom/storage";
import { storedUpload } from "@darkroom/storage/testing";
import { describe, expect, it } from "vitest";
import { processUpload } from "../src";

describe("processUpload run twice on the same upload, as after a worker crash", () => {
  it("writes the same keys with the same variants: the second run only overwrites", async () => {
    const env = isolatedEnv();
    const storage = storageFromEnv(env);
    const deps = {
      storage,
      imaging: imagingOptionsFromEnv(imagingEnvSchema.parse(env)),
      render: renderPhoto,
    };
    const photo = await noisyPhoto(1600, 1000);
    const upload = await storedUpload(storage, photo, { filename: "twice.jpg" });
    const { id } = upload;

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
