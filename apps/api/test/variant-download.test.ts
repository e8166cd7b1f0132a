import { uploadSnapshotSchema } from "@darkroom/contracts";
import { solidImage } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptedUpload, call, errorBody, postUpload, SYNC_ENDPOINT } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

describe("downloading a variant: GET /api/uploads/:id/download/:file", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  async function completed(filename: string) {
    const response = await postUpload(api, await solidImage(900, 600), filename, SYNC_ENDPOINT);
    expect(response.status).toBe(201);
    return uploadSnapshotSchema.parse(await response.json());
  }

  const download = (id: string, file: string) =>
    call(api, `/api/uploads/${id}/download/${file}`, { redirect: "manual" });

  it("sends the owner to storage, which gives the variant as a file named after the photo", async () => {
    const upload = await completed("harbour at dusk.jpg");
    const medium = upload.variants.find((variant) => variant.name === "medium" && variant.format === "webp")!;

    const redirect = await download(upload.id, "medium.webp");

    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("cache-control")).toBe("no-store");
    const file = await fetch(redirect.headers.get("location")!);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/webp");
    expect(file.headers.get("content-disposition")).toBe(
      `attachment; filename="harbour at dusk-medium.webp"`,
    );
    expect((await file.arrayBuffer()).byteLength).toBe(medium.bytes);
  });

  it("names the file in plain ASCII: accents dropped, and what else is not ASCII as _", async () => {
    const upload = await completed("été à Nice 東京.jpg");

    const file = await fetch((await download(upload.id, "thumb.jpg")).headers.get("location")!);

    expect(file.headers.get("content-type")).toBe("image/jpeg");
    expect(file.headers.get("content-disposition")).toBe(`attachment; filename="ete a Nice __-thumb.jpg"`);
  });

  it("answers 404 for what is not a variant of a finished upload", async () => {
    const { id } = await completed("photo.jpg");
    const waiting = await acceptedUpload(await postUpload(api, await solidImage(300, 200)));
    for (const [upload, file] of [
      [id, "huge.webp"],
      [id, "medium.gif"],
      [id, "medium"],
      [id, "medium.webp.exe"],
      [waiting.id, "medium.webp"],
      ["not-an-id", "medium.webp"],
    ] as const) {
      const response = await download(upload, file);
      expect({ upload, file, status: response.status }).toEqual({ upload, file, status: 404 });
      expect((await errorBody(response)).error.code).toBe("NOT_FOUND");
    }
  });
});
