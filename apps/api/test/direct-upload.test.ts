import { randomUUID } from "node:crypto";
import { directUploadSchema, serverTimingDurations, type DirectUpload } from "@darkroom/contracts";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { objectKeys } from "@darkroom/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptedUpload, call, errorBody, ownerIdOf, waitUntilFinished } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

const sign = (api: TestApi, body: unknown) =>
  call(api, "/api/uploads/direct", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

async function signed(api: TestApi, bytes: Buffer, contentType?: string): Promise<DirectUpload> {
  const response = await sign(api, { filename: "beach.jpg", bytes: bytes.byteLength, contentType });
  expect(response.status).toBe(201);
  return directUploadSchema.parse(await response.json());
}

/** The client's PUT, straight to storage, as the answer says to send it. */
async function put({ upload }: DirectUpload, bytes: Buffer): Promise<void> {
  const response = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: bytes });
  expect(response.ok).toBe(true);
}

const complete = (api: TestApi, id: string) => call(api, `/api/uploads/${id}/complete`, { method: "POST" });

describe("direct uploads: signed by the API, sent straight to storage, checked on complete", () => {
  let api: TestApi;
  let photo: Buffer;
  beforeAll(async () => {
    api = await startTestApi();
    photo = await noisyPhoto(1200, 800);
  });
  afterAll(() => api?.close());

  it("signs a PUT of exactly the declared length to the upload's original, valid for minutes", async () => {
    const direct = await signed(api, photo, "image/jpeg");

    const url = new URL(direct.upload.url);
    expect(url.origin).toBe(api.config.s3.publicEndpoint);
    expect(url.pathname).toMatch(new RegExp(`/${objectKeys.original(direct.id)}$`));
    expect(url.searchParams.get("X-Amz-SignedHeaders")?.split(";")).toEqual(
      expect.arrayContaining([
        "content-length",
        "content-type",
        "host",
        "x-amz-meta-filename",
        "x-amz-meta-owner",
      ]),
    );
    expect(url.searchParams.get("X-Amz-Expires")).toBe(String(api.config.uploads.directExpiryS));
    // Name and owner ride in the original's metadata, so the reconciler can enqueue an upload never completed.
    expect(direct.upload.headers).toEqual({
      "Content-Type": "image/jpeg",
      "x-amz-meta-filename": "beach.jpg",
      "x-amz-meta-owner": await ownerIdOf(api),
    });
    expect(direct.completeUrl).toBe(`/api/uploads/${direct.id}/complete`);
  });

  it("processes a completed upload like any other, and says it came direct", async () => {
    const worker = await api.startWorker();
    try {
      const direct = await signed(api, photo);
      await put(direct, photo);

      const accepted = await acceptedUpload(await complete(api, direct.id));
      const done = await waitUntilFinished(api, accepted.id, 30_000);

      expect(accepted).toEqual({ id: direct.id, status: "queued", statusUrl: `/api/uploads/${direct.id}` });
      expect(done).toMatchObject({
        status: "completed",
        mode: "direct",
        original: { filename: "beach.jpg" },
      });
      expect(done.variants).toHaveLength(6);
    } finally {
      await worker.stop();
    }
  });

  it("says in Server-Timing how long signing and completing took, stage by stage", async () => {
    const signing = await sign(api, { filename: "beach.jpg", bytes: photo.byteLength });
    const direct = directUploadSchema.parse(await signing.json());
    await put(direct, photo);
    const completing = await complete(api, direct.id);

    expect(Object.keys(serverTimingDurations(signing.headers.get("server-timing")))).toEqual([
      "room",
      "sign",
      "total",
    ]);
    const stages = serverTimingDurations(completing.headers.get("server-timing"));
    expect(Object.keys(stages)).toEqual(["reservation", "check", "enqueue", "total"]);
    expect(stages.total).toBeGreaterThanOrEqual(stages.check!);
  });

  it("answers a second complete as the first, and enqueues the upload once", async () => {
    const direct = await signed(api, photo);
    await put(direct, photo);
    const jobsBefore = await api.jobCount();

    const first = await acceptedUpload(await complete(api, direct.id));
    const second = await acceptedUpload(await complete(api, direct.id));

    expect(second).toEqual(first);
    expect(await api.jobCount()).toBe(jobsBefore + 1);
  });

  it("answers 409 UPLOAD_NOT_RECEIVED to a complete before the PUT, and accepts it after", async () => {
    const direct = await signed(api, photo);

    const early = await complete(api, direct.id);
    expect(early.status).toBe(409);
    expect((await errorBody(early)).error.code).toBe("UPLOAD_NOT_RECEIVED");

    await put(direct, photo);
    await acceptedUpload(await complete(api, direct.id));
  });

  it("deletes a stored file that is not an image, answers 415, and forgets the upload", async () => {
    const text = Buffer.from("just some text\n".repeat(500));
    const direct = await signed(api, text, "image/jpeg");
    await put(direct, text);

    const response = await complete(api, direct.id);

    expect(response.status).toBe(415);
    expect((await errorBody(response)).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(await api.storage.head(objectKeys.original(direct.id))).toBeUndefined();
    expect((await complete(api, direct.id)).status).toBe(404);
  });

  it.each([
    ["twice the photo", () => Buffer.concat([photo, photo])],
    // No byte range of an empty object exists: its size is read another way.
    ["nothing at all", () => Buffer.alloc(0)],
  ])(
    "deletes a file whose size is not the one signed, on a server that does not check it (%s): 400 SIZE_MISMATCH",
    async (_name, stored) => {
      const direct = await signed(api, photo);
      await api.storage.put(objectKeys.original(direct.id), stored(), "image/jpeg");

      const response = await complete(api, direct.id);

      expect(response.status).toBe(400);
      expect((await errorBody(response)).error.code).toBe("SIZE_MISMATCH");
      expect(await api.storage.head(objectKeys.original(direct.id))).toBeUndefined();
    },
  );

  it("refuses to sign an empty file, one over the limit, or a request that is not one, storing nothing", async () => {
    const keysBefore = await api.storage.listKeys("");
    const cases = [
      [{ filename: "big.jpg", bytes: api.config.uploads.maxBytes + 1 }, 413, "FILE_TOO_LARGE"],
      [{ filename: "empty.jpg", bytes: 0 }, 400, "EMPTY_FILE"],
      [{ filename: "photo.jpg", bytes: -5 }, 400, "VALIDATION_FAILED"],
      [
        { filename: "photo.jpg", bytes: 10, contentType: "image/jpeg\r\nx-evil: 1" },
        400,
        "VALIDATION_FAILED",
      ],
      [{ bytes: 10 }, 400, "VALIDATION_FAILED"],
    ] as const;

    for (const [body, status, code] of cases) {
      const response = await sign(api, body);
      expect(response.status).toBe(status);
      expect((await errorBody(response)).error.code).toBe(code);
    }
    expect(await api.storage.listKeys("")).toEqual(keysBefore);
  });

  it("answers 404 to completing an id that was never signed, or is not an id", async () => {
    for (const id of [randomUUID(), "not-an-id"]) {
      const response = await complete(api, id);
      expect(response.status).toBe(404);
      expect((await errorBody(response)).error.code).toBe("NOT_FOUND");
    }
  });
});

describe("a direct upload left unfinished", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ DIRECT_UPLOAD_EXPIRY_S: "1" });
  });
  afterAll(() => api?.close());

  it("cannot be completed once its reservation, twice the URL's life, has lapsed", async () => {
    const photo = await noisyPhoto(400, 300);
    const direct = await signed(api, photo);
    await put(direct, photo);

    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const response = await complete(api, direct.id);

    expect(response.status).toBe(404);
    expect(await api.jobCount()).toBe(0);
  });
});
