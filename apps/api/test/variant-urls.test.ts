import { uploadSnapshotSchema } from "@darkroom/contracts";
import { solidImage } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSnapshot, postUpload, SYNC_ENDPOINT } from "./support/client";
import { expiresAt } from "./support/presigned-url";
import { startTestApi, type TestApi } from "./support/test-stack";

describe("variant URLs, presigned for VARIANT_URL_EXPIRY_S", () => {
  let api: TestApi;
  beforeAll(async () => {
    // As short as the setting goes, so that a URL expires within the test.
    api = await startTestApi({ VARIANT_URL_EXPIRY_S: "2" });
  });
  afterAll(() => api?.close());

  it("fetch the image from storage until they expire, then get 403; a later read hands out a fresh one", async () => {
    const response = await postUpload(api, await solidImage(400, 300), "short.jpg", SYNC_ENDPOINT);
    expect(response.status).toBe(201);
    const done = uploadSnapshotSchema.parse(await response.json());
    const thumb = done.variants.find((variant) => variant.name === "thumb" && variant.format === "webp")!;
    const url = new URL(thumb.url);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("2");

    const fresh = await fetch(url);
    expect([fresh.status, fresh.headers.get("content-type")]).toEqual([200, "image/webp"]);
    expect((await fresh.arrayBuffer()).byteLength).toBe(thumb.bytes);

    // S3 counts whole seconds: a moment past the expiry is past it everywhere.
    await new Promise((resolve) => setTimeout(resolve, expiresAt(url) - Date.now() + 1_100));
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/i);

    const renewed = (await getSnapshot(api, done.id)).variants.find(
      (variant) => variant.name === thumb.name && variant.format === thumb.format,
    )!;
    expect(renewed.url).not.toBe(thumb.url);
    expect((await fetch(renewed.url)).status).toBe(200);
  });
});
