import { createHash, randomBytes } from "node:crypto";
import { metricSample } from "@darkroom/devstack/testing";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { expireResumableUploads, objectKeys } from "@darkroom/storage";
import type { ClientToServerEvents, ServerToClientEvents, UploadSnapshot } from "@darkroom/contracts";
import { Redis } from "ioredis";
import { io, type Socket } from "socket.io-client";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/env";
import { startApiServer, type RunningApi } from "../src/server";
import { createLogger } from "@darkroom/runtime";
import { call, errorBody, getSnapshot, tokenOf, waitUntilFinished } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";
import {
  createdAt,
  createResumable,
  cutPatch,
  headResumable,
  offsetOf,
  patchResumable,
  RESUMABLE_ENDPOINT,
  sendResumable,
  uploadIdOf,
} from "./support/tus-client";

/** What the API counted of upload bodies it read, resumed bytes sent again included. */
const bytesReceived = async (url: string) =>
  metricSample(await (await fetch(`${url}/metrics`)).text(), "darkroom_resumable_bytes_received_total");

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("resumable uploads: tus, part by part into storage, resumed where they stopped", () => {
  let api: TestApi;
  let photo: Buffer;
  beforeAll(async () => {
    api = await startTestApi();
    photo = await noisyPhoto(1200, 800);
  });
  afterAll(() => api?.close());

  it("takes an upload in parts and processes it like any other, and says it came resumable", async () => {
    const { answer, location } = await sendResumable(api, photo, "dunes.jpg", 100_000);
    expect(answer.status).toBe(204);
    const id = uploadIdOf(location!);
    const client: Socket<ServerToClientEvents, ClientToServerEvents> = io(api.url, {
      transports: ["websocket"],
      auth: { token: tokenOf(api) },
    });
    const progress: UploadSnapshot[] = [];
    client.on("upload:progress", (snapshot) => progress.push(snapshot));
    expect(await client.emitWithAck("subscribe", id)).toMatchObject({ ok: true });
    const worker = await api.startWorker();
    try {
      const done = await waitUntilFinished(api, id);
      expect(done).toMatchObject({
        status: "completed",
        mode: "resumable",
        original: { filename: "dunes.jpg" },
      });
      // Progress events say the mode too, once the worker reports.
      const reported = progress.filter(({ stage }) => stage !== "downloading");
      expect(reported.length).toBeGreaterThan(0);
      expect(reported.every(({ mode }) => mode === "resumable")).toBe(true);
      expect(await offsetOf(api, location!)).toBe(photo.byteLength);
    } finally {
      client.close();
      await worker.stop();
    }
  });

  it("resumes on a second API instance after a cut midway, sending at most 55 % again", async () => {
    // 48 MB of noise: PNG without compression, so every byte is real.
    const big = await sharp(randomBytes(4000 * 4000 * 3), { raw: { width: 4000, height: 4000, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    const second: RunningApi = await startApiServer(loadConfig(api.env), createLogger("api-test-2", "warn"));
    // The same client, its connection now routed to the second instance.
    const onSecond = { url: second.url, headers: api.headers };
    try {
      const before = (await bytesReceived(api.url)) + (await bytesReceived(second.url));
      const location = createdAt(await createResumable(api, big.byteLength, "big.png"));
      await cutPatch(api, location, 0, big, Math.floor(big.byteLength / 2));

      const offset = await offsetOf(onSecond, location);
      expect(offset).toBeGreaterThan(big.byteLength * 0.4);
      const rest = await patchResumable(onSecond, location, offset, big.subarray(offset));
      expect(rest.status).toBe(204);

      const received = (await bytesReceived(api.url)) + (await bytesReceived(second.url)) - before;
      console.log(
        `resumable | ${offset} of ${big.byteLength} bytes stored when the connection was cut; ` +
          `the API read ${received} bytes in all, ${((received / big.byteLength - 1) * 100).toFixed(1)} % more than once`,
      );
      expect(received).toBeLessThanOrEqual(big.byteLength * 1.55);
      expect(received).toBeGreaterThanOrEqual(big.byteLength);
      const id = uploadIdOf(location);
      expect(sha256(await api.storage.getBuffer(objectKeys.original(id)))).toBe(sha256(big));
      expect(await getSnapshot(api, id)).toMatchObject({ status: "queued", mode: "resumable" });
    } finally {
      await second.close();
    }
  });

  it("enqueues on the next HEAD an upload whose last PATCH stored every byte but never got it enqueued", async () => {
    const { answer, location } = await sendResumable(api, photo);
    expect(answer.status).toBe(204);
    const id = uploadIdOf(location!);
    // As if the instance had died between storing the last part and enqueuing the job.
    await api.queue.remove(id);
    expect((await call(api, `/api/uploads/${id}`)).status).toBe(404);

    expect(await offsetOf(api, location!)).toBe(photo.byteLength);
    expect(await getSnapshot(api, id)).toMatchObject({ status: "queued", mode: "resumable" });
  });

  it("deletes a finished file that is not an image, answers 415, and forgets the upload", async () => {
    const keysBefore = await api.storage.listKeys("");
    const { answer, location } = await sendResumable(api, Buffer.from("not a photo, only text".repeat(100)));
    expect(answer.status).toBe(415);
    expect((await errorBody(answer)).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect((await headResumable(api, location!)).status).toBe(404);
    expect(await api.storage.listKeys("")).toEqual(keysBefore);
  });

  it("refuses at creation a file over the limit, an empty one, and one of unknown length, storing nothing", async () => {
    const keysBefore = await api.storage.listKeys("");
    const tooBig = await createResumable(api, api.config.uploads.maxBytes + 1);
    expect(tooBig.status).toBe(413);
    expect((await errorBody(tooBig)).error.code).toBe("FILE_TOO_LARGE");
    const empty = await createResumable(api, 0);
    expect(empty.status).toBe(400);
    expect((await errorBody(empty)).error.code).toBe("EMPTY_FILE");
    const deferred = await call(api, RESUMABLE_ENDPOINT, {
      method: "POST",
      headers: { "Tus-Resumable": "1.0.0", "Upload-Defer-Length": "1" },
    });
    expect(deferred.status).toBe(400);
    expect((await errorBody(deferred)).error.code).toBe("VALIDATION_FAILED");
    expect(await api.storage.listKeys("")).toEqual(keysBefore);
  });

  it("never serves an upload's bytes back, and answers 404 for an id it does not know", async () => {
    const { location } = await sendResumable(api, photo);
    expect((await call(api, location!)).status).toBe(404);
    const unknown = await patchResumable(api, `${RESUMABLE_ENDPOINT}/${crypto.randomUUID()}`, 0, photo);
    expect(unknown.status).toBe(404);
    expect((await errorBody(unknown)).error.code).toBe("NOT_FOUND");
  });
});

describe("a resumable upload left unfinished", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ RESUMABLE_UPLOAD_EXPIRY_S: "1" });
  });
  afterAll(() => api?.close());

  it("expires: it answers 410, and the sweep aborts its multipart upload and leaves nothing behind", async () => {
    const photo = await noisyPhoto(1200, 800);
    const location = createdAt(await createResumable(api, photo.byteLength));
    const half = Math.floor(photo.byteLength / 2);
    expect((await patchResumable(api, location, 0, photo.subarray(0, half))).status).toBe(204);
    expect(await api.storage.listKeys("resumable/")).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 1_100));

    const late = await patchResumable(api, location, half, photo.subarray(half));
    expect(late.status).toBe(410);
    expect((await errorBody(late)).error.code).toBe("UPLOAD_EXPIRED");
    const swept = await expireResumableUploads(api.config.s3, api.storage, 1_000);
    expect(swept.aborted).toEqual([uploadIdOf(location)]);
    expect(await api.storage.listKeys("")).toEqual([]);
    const redis = new Redis(api.config.queue.redisUrl);
    try {
      // The state of an upload lives as long as the upload may: touched last by the 410, it goes within a second.
      await vi.waitFor(
        async () =>
          expect(await redis.keys(`${api.config.queue.prefix}:${api.config.queue.name}:tus:*`)).toEqual([]),
        {
          timeout: 2_000,
        },
      );
    } finally {
      redis.disconnect();
    }
  });
});
