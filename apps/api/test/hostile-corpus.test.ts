import { directUploadSchema, uploadSnapshotSchema, type UploadSnapshot } from "@darkroom/contracts";
import { BLUE, HOSTILE_CORPUS, RED, isNear, pixelAt, type CorpusCase } from "@darkroom/imaging/testing";
import { readManifest } from "@darkroom/storage";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedProcess } from "@darkroom/devstack";
import { call, errorBody, QUEUED_ENDPOINT, SYNC_ENDPOINT, waitUntilFinished } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";
import { RESUMABLE_ENDPOINT, sendResumable, uploadIdOf } from "./support/tus-client";

const MAX_BYTES = 2 * 1024 * 1024;
const WHITE = { r: 255, g: 255, b: 255 };

const DIRECT_ENDPOINT = "/api/uploads/direct";
/** The answer that accepts an upload, by endpoint; the last PATCH of a resumable one has no body. */
const ACCEPTED = { [SYNC_ENDPOINT]: 201, [RESUMABLE_ENDPOINT]: 204 } as Record<string, number>;

describe.each([QUEUED_ENDPOINT, SYNC_ENDPOINT, DIRECT_ENDPOINT, RESUMABLE_ENDPOINT])(
  "the hostile corpus, through POST %s",
  (endpoint) => {
    let api: TestApi;
    let worker: StartedProcess;
    beforeAll(async () => {
      api = await startTestApi({ UPLOAD_MAX_BYTES: String(MAX_BYTES) });
      worker = await api.startWorker();
    });
    afterAll(() => api?.close());

    /** Where a resumable upload was sent, to find it by once accepted. */
    let resumableId: string | undefined;

    async function send(entry: CorpusCase): Promise<Response> {
      const bytes = await entry.make({ maxBytes: MAX_BYTES });
      if (endpoint === DIRECT_ENDPOINT) return sendDirect(entry, bytes);
      if (endpoint === RESUMABLE_ENDPOINT) {
        // In two PATCHes, as a cut upload is sent: the check waits for the last byte.
        const { answer, location } = await sendResumable(
          api,
          bytes,
          entry.filename,
          Math.ceil(bytes.byteLength / 2),
        );
        resumableId = location && uploadIdOf(location);
        return answer;
      }
      const form = new FormData();
      for (let file = 0; file < (entry.files ?? 1); file++) {
        form.append("file", new Blob([bytes], { type: entry.contentType }), entry.filename);
      }
      return call(api, endpoint, { method: "POST", body: form });
    }

    /** Signs, PUTs to storage and completes: the answer of the step that refused it, or of complete. */
    async function sendDirect(entry: CorpusCase, bytes: Buffer): Promise<Response> {
      const signing = await call(api, DIRECT_ENDPOINT, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          filename: entry.filename,
          bytes: bytes.byteLength,
          contentType: entry.contentType,
        }),
      });
      if (signing.status !== 201) return signing;
      const { id, upload } = directUploadSchema.parse(await signing.json());
      expect(
        (await fetch(upload.url, { method: upload.method, headers: upload.headers, body: bytes })).ok,
      ).toBe(true);
      return call(api, `/api/uploads/${id}/complete`, { method: "POST" });
    }

    /** The upload's end: the sync answer itself, or the queued job's last state. */
    async function finished(response: Response): Promise<UploadSnapshot> {
      if (endpoint === RESUMABLE_ENDPOINT) return waitUntilFinished(api, resumableId!);
      const body: unknown = await response.json();
      if (endpoint === SYNC_ENDPOINT) return uploadSnapshotSchema.parse(body);
      return waitUntilFinished(api, uploadSnapshotSchema.pick({ id: true }).parse(body).id);
    }

    /** From storage, at the variant's presigned URL: no credentials of the API's. */
    async function variantBytes(url: string): Promise<Buffer> {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      return Buffer.from(await response.arrayBuffer());
    }

    // Two files in one request is a multipart body's case: the others send one file per upload.
    const multipart = endpoint === QUEUED_ENDPOINT || endpoint === SYNC_ENDPOINT;
    const corpus = HOSTILE_CORPUS.filter((entry) => multipart || (entry.files ?? 1) === 1);
    it.each(corpus.map((entry) => [entry.name, entry] as const))("%s", async (_name, entry) => {
      const keysBefore = await api.storage.listKeys("");
      const jobsBefore = await api.jobCount();
      const response = await send(entry);
      const { outcome } = entry;

      switch (outcome.kind) {
        case "refused": {
          expect(response.status).toBe(outcome.status);
          expect((await errorBody(response)).error.code).toBe(outcome.code);
          expect(await api.storage.listKeys("")).toEqual(keysBefore);
          expect(await api.jobCount()).toBe(jobsBefore);
          expect(await api.spooledFiles()).toEqual([]);
          return;
        }
        case "unprocessable": {
          if (endpoint === SYNC_ENDPOINT) {
            expect(response.status).toBe(422);
            expect((await errorBody(response)).error.code).toBe(outcome.code);
            expect(await api.storage.listKeys("")).toEqual(keysBefore);
            return;
          }
          expect(response.status).toBe(ACCEPTED[endpoint] ?? 202);
          const done = await finished(response);
          expect(done).toMatchObject({ status: "failed", error: { code: outcome.code }, variants: [] });
          return;
        }
        case "processed": {
          expect(response.status).toBe(ACCEPTED[endpoint] ?? 202);
          const done = await finished(response);
          expect(done.status).toBe("completed");
          expect(done.variants).toHaveLength(6);
          for (const variant of done.variants) {
            const bytes = await variantBytes(variant.url);
            const metadata = await sharp(bytes).metadata();
            expect(metadata).toMatchObject({ format: variant.format, space: "srgb", depth: "uchar" });
            expect([metadata.exif, metadata.icc, metadata.xmp, metadata.orientation]).toEqual([
              undefined,
              undefined,
              undefined,
              undefined,
            ]);
            expect(metadata.hasAlpha).toBe(variant.format === "webp" && outcome.alpha === true);
            // Nothing of the input rides along: the ZIP of the polyglot included.
            expect(bytes.includes(Buffer.from("PK\x03\x04", "latin1"))).toBe(false);
            if (outcome.alpha && variant.format === "jpeg")
              expect(isNear(await pixelAt(bytes, 0, 0), WHITE)).toBe(true);
            const upright = entry.name.startsWith("orientation-") ? "landscape" : outcome.upright;
            if (upright) {
              expect(metadata.width > metadata.height).toBe(upright === "landscape");
              expect(isNear(await pixelAt(bytes, 5, 5), RED)).toBe(true);
              expect(isNear(await pixelAt(bytes, metadata.width - 5, metadata.height - 5), BLUE)).toBe(true);
            }
          }
          const manifest = await readManifest(api.storage, done.id);
          if (outcome.filename) expect(manifest?.original.filename).toBe(outcome.filename);
          if (outcome.contentType) expect(manifest?.original.contentType).toBe(outcome.contentType);
          return;
        }
      }
    });

    it("leaves every process running", async () => {
      expect((await fetch(`${api.url}/api/healthz`)).status).toBe(200);
      expect(worker.child.exitCode).toBeNull();
    });
  },
);
