import { randomUUID } from "node:crypto";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { acceptedUpload, errorBody, postUpload, QUEUED_ENDPOINT, SYNC_ENDPOINT } from "./support/client";
import { startRawUpload } from "./support/raw-upload";
import { startTestApi, type TestApi } from "./support/test-stack";

describe("the Idempotency-Key header", () => {
  let api: TestApi;
  let photo: Buffer;
  beforeAll(async () => {
    api = await startTestApi();
    photo = await noisyPhoto(800, 600);
  });
  afterAll(() => api?.close());

  const post = (key: string, endpoint = QUEUED_ENDPOINT, bytes = photo) =>
    postUpload(api, bytes, "photo.jpg", endpoint, { "Idempotency-Key": key });

  it("gives a repeated queued upload the same answer, enqueuing and storing it once", async () => {
    const key = randomUUID();
    const first = await acceptedUpload(await post(key));
    const repeat = await post(key);

    expect(await acceptedUpload(repeat)).toEqual(first);
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    expect(repeat.headers.get("location")).toBe(first.statusUrl);
    expect(await api.jobCount()).toBe(1);
    expect(await api.storage.listKeys("originals/")).toEqual([`originals/${first.id}`]);
  });

  it("gives a repeated sync upload the same finished answer, processing it once", async () => {
    const key = randomUUID();
    const first = await post(key, SYNC_ENDPOINT);
    expect(first.status).toBe(201);
    const answer: unknown = await first.json();
    const originals = await api.storage.listKeys("originals/");

    const repeat = await post(key, SYNC_ENDPOINT);

    expect(repeat.status).toBe(201);
    expect(await repeat.json()).toEqual(answer);
    expect(await api.storage.listKeys("originals/")).toEqual(originals);
  });

  it("answers 409 IDEMPOTENCY_KEY_IN_USE while the first request with the key is still running", async () => {
    const key = randomUUID();
    const first = await startRawUpload(api, photo, {
      sentBytes: photo.byteLength / 2,
      headers: { "Idempotency-Key": key },
    });
    await vi.waitFor(async () => expect(await api.spooledFiles()).toHaveLength(1));

    const early = await post(key);
    expect(early.status).toBe(409);
    expect((await errorBody(early)).error.code).toBe("IDEMPOTENCY_KEY_IN_USE");
    expect(early.headers.get("retry-after")).toBe("1");

    first.finish();
    expect(await first.status).toBe(202);
    expect((await post(key)).headers.get("idempotent-replayed")).toBe("true");
  });

  it("frees the key of a request that failed, so the client can try again", async () => {
    const key = randomUUID();
    const rejected = await post(key, QUEUED_ENDPOINT, Buffer.from("not a photo\n".repeat(100)));
    expect(rejected.status).toBe(415);

    const retried = await post(key);

    expect(retried.status).toBe(202);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
  });

  it("answers 400 to a key that is not visible ASCII", async () => {
    const response = await post("spaces are not allowed");
    expect(response.status).toBe(400);
    expect((await errorBody(response)).error.code).toBe("VALIDATION_FAILED");
  });

  it("keeps the two endpoints apart: one key means one request on each", async () => {
    const key = randomUUID();
    expect((await post(key)).status).toBe(202);
    const sync = await post(key, SYNC_ENDPOINT);
    expect(sync.status).toBe(201);
    expect(sync.headers.get("idempotent-replayed")).toBeNull();
  });
});
