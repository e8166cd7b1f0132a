import { crashingPhoto, noisyPhoto, TEST_CRASH_MARKER } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, errorBody, postUpload, SYNC_ENDPOINT } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

describe("a sync upload that crashes its render thread", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ SYNC_CONCURRENCY: "2", IMAGING_TEST_CRASH_MARKER: TEST_CRASH_MARKER });
  });
  afterAll(() => api?.close());

  it("answers 422 IMAGE_DECODER_CRASHED and keeps nothing, while the API finishes the upload beside it and goes on answering", async () => {
    const keysBefore = await api.storage.listKeys("");
    const beside = postUpload(api, await noisyPhoto(3000, 2000), "beside.jpg", SYNC_ENDPOINT);

    const response = await postUpload(api, await crashingPhoto(), "crashing.jpg", SYNC_ENDPOINT);

    expect(response.status).toBe(422);
    const { error } = await errorBody(response);
    expect(error).toEqual({
      code: "IMAGE_DECODER_CRASHED",
      message: expect.stringMatching(
        /crashed the decoder: it needed more than its 128 MB of memory/,
      ) as unknown,
    });
    expect((await beside).status).toBe(201);
    expect((await call(api, "/api/healthz")).status).toBe(200);
    expect((await postUpload(api, await noisyPhoto(800, 600), "after.jpg", SYNC_ENDPOINT)).status).toBe(201);
    const kept = (await api.storage.listKeys("originals/")).filter((key) => !keysBefore.includes(key));
    expect(kept).toHaveLength(2);
    expect(await api.spooledFiles()).toEqual([]);
  });
});
