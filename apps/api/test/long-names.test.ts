import { directUploadSchema } from "@darkroom/contracts";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { objectKeys, originalMetadata } from "@darkroom/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptedUpload, call, getSnapshot, postUpload } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";
import { sendResumable, uploadIdOf } from "./support/tus-client";

/** 255 characters of 4 bytes each: about 3 KB once percent-encoded, over S3's 2 KB of metadata. */
const EMOJI_NAME = `${"📸".repeat(251)}.jpg`;

describe("a file name of 255 emoji", () => {
  let api: TestApi;
  let photo: Buffer;
  beforeAll(async () => {
    api = await startTestApi();
    photo = await noisyPhoto(600, 400);
  });
  afterAll(() => api?.close());

  /** The name as the upload's status gives it, and as its original's metadata keeps it. */
  async function namesOf(id: string) {
    const snapshot = await getSnapshot(api, id);
    const original = await api.storage.head(objectKeys.original(id));
    return { shown: snapshot.original?.filename, stored: originalMetadata.filename(original!.metadata) };
  }

  it("uploads queued: the name comes back whole, and the metadata copy is visibly shortened", async () => {
    const { id } = await acceptedUpload(await postUpload(api, photo, EMOJI_NAME));

    const { shown, stored } = await namesOf(id);
    expect(shown).toBe(EMOJI_NAME);
    expect(stored.endsWith("…")).toBe(true);
    expect(EMOJI_NAME.startsWith(stored.slice(0, -1))).toBe(true);
  });

  it("uploads direct: the signed metadata fits, and the name comes back whole", async () => {
    const signing = await call(api, "/api/uploads/direct", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ filename: EMOJI_NAME, bytes: photo.byteLength }),
    });
    expect(signing.status).toBe(201);
    const { id, upload } = directUploadSchema.parse(await signing.json());
    const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: photo });
    expect(put.ok).toBe(true);
    await acceptedUpload(await call(api, `/api/uploads/${id}/complete`, { method: "POST" }));

    expect((await namesOf(id)).shown).toBe(EMOJI_NAME);
  });

  it("uploads resumable: the name comes back whole", async () => {
    const { answer, location } = await sendResumable(api, photo, EMOJI_NAME);
    expect(answer.status).toBe(204);

    expect((await getSnapshot(api, uploadIdOf(location!))).original?.filename).toBe(EMOJI_NAME);
  });
});
