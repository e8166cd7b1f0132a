import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { directUploadSchema, webhookPayloadSchema, webhookSecretSchema } from "@darkroom/contracts";
import { noisyPhoto, solidImage } from "@darkroom/imaging/testing";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acceptedUpload,
  call,
  errorBody,
  newCaller,
  postUpload,
  SYNC_ENDPOINT,
  waitUntilFinished,
  type Caller,
} from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";
import { createdAt, patchResumable, RESUMABLE_ENDPOINT } from "./support/tus-client";

interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
}

/** A real HTTP receiver on a free port: it records each delivery and answers as `answer` says. */
async function startReceiver(answer: (path: string, earlier: Delivery[]) => number = () => 204) {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      const status = answer(
        path,
        deliveries.filter((delivery) => delivery.path === path),
      );
      deliveries.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString(), status });
      res.writeHead(status).end(status >= 300 ? "not now" : "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    deliveries,
    to: (path: string) => deliveries.filter((delivery) => delivery.path === path),
    /** Waits until `path` has had `count` deliveries, then a moment more, in which no other may come. */
    async received(path: string, count: number, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (deliveries.filter((delivery) => delivery.path === path).length < count) {
        if (Date.now() > deadline) throw new Error(`${path} had fewer than ${count} deliveries`);
        await sleep(50);
      }
      await sleep(500);
      return deliveries.filter((delivery) => delivery.path === path);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const createSecret = async (caller: Caller) => {
  const response = await call(caller, "/api/webhook-secret", { method: "POST" });
  expect(response.status).toBe(201);
  return webhookSecretSchema.parse(await response.json());
};

/** The payload, once its signature is checked with the reference implementation of Standard Webhooks. */
const verified = (secret: string, delivery: Delivery) =>
  webhookPayloadSchema.parse(
    new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>),
  );

describe("webhooks: an upload that asks for one tells its receiver once it ends", () => {
  let api: TestApi;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let secret: string;

  beforeAll(async () => {
    // Retries a fifth of a second apart, not the day-long schedule.
    api = await startTestApi({ NOTIFY_RETRY_SCHEDULE_S: "0.2,0.2,0.2" });
    receiver = await startReceiver((path, earlier) =>
      path === "/flaky" && earlier.length < 2 ? 500 : path === "/down" ? 503 : 204,
    );
    await api.startWorker();
    ({ secret } = await createSecret(api));
  });
  afterAll(async () => {
    await api?.close();
    await receiver?.close();
  });

  it("sends one delivery for a completed and one for a failed upload, each signed with the owner's secret", async () => {
    const notify = { "Upload-Notify-Url": receiver.url("/done") };
    const done = await acceptedUpload(
      await postUpload(api, await noisyPhoto(800, 600), "done.jpg", undefined, notify),
    );
    const whole = await solidImage(800, 600);
    const broken = await acceptedUpload(
      await postUpload(api, whole.subarray(0, whole.byteLength / 2), "broken.jpg", undefined, notify),
    );
    expect(await waitUntilFinished(api, done.id, 30_000)).toMatchObject({ status: "completed" });
    expect(await waitUntilFinished(api, broken.id, 30_000)).toMatchObject({ status: "failed" });

    const deliveries = await receiver.received("/done", 2);
    expect(deliveries).toHaveLength(2);
    const payloads = deliveries.map((delivery) => verified(secret, delivery));
    expect(payloads.find((payload) => payload.data.id === done.id)).toMatchObject({
      type: "upload.completed",
      data: {
        status: "completed",
        mode: "queued",
        filename: "done.jpg",
        statusUrl: `/api/uploads/${done.id}`,
      },
    });
    expect(payloads.find((payload) => payload.data.id === broken.id)).toMatchObject({
      type: "upload.failed",
      data: { status: "failed", error: { code: "IMAGE_CORRUPT" } },
    });
    expect(deliveries.map((delivery) => delivery.headers["webhook-id"]).sort()).toEqual(
      [`msg_${broken.id}_failed`, `msg_${done.id}_completed`].sort(),
    );
    // Another secret does not verify them.
    const another = await createSecret(await newCaller(api.url));
    expect(() => verified(another.secret, deliveries[0]!)).toThrow();
  });

  it("gives a receiver that answers 500 twice the same webhook-id and body three times, and stops once it accepts", async () => {
    const { id } = await acceptedUpload(
      await postUpload(api, await noisyPhoto(400, 300), "flaky.jpg", undefined, {
        "Upload-Notify-Url": receiver.url("/flaky"),
      }),
    );
    const deliveries = await receiver.received("/flaky", 3);

    expect(deliveries.map((delivery) => delivery.status)).toEqual([500, 500, 204]);
    expect(new Set(deliveries.map((delivery) => delivery.headers["webhook-id"]))).toEqual(
      new Set([`msg_${id}_completed`]),
    );
    expect(new Set(deliveries.map((delivery) => delivery.body)).size).toBe(1);
    for (const delivery of deliveries) expect(verified(secret, delivery).data.id).toBe(id);
    expect(await waitUntilFinished(api, id)).toMatchObject({ status: "completed" });
  });

  it("keeps the upload completed when its receiver never accepts", async () => {
    const { id } = await acceptedUpload(
      await postUpload(api, await noisyPhoto(400, 300), "down.jpg", undefined, {
        "Upload-Notify-Url": receiver.url("/down"),
      }),
    );
    // The first try and the three retries of the schedule, then no more.
    const deliveries = await receiver.received("/down", 4);
    await sleep(500);
    expect(receiver.to("/down")).toHaveLength(deliveries.length);
    expect(deliveries).toHaveLength(4);
    expect(await waitUntilFinished(api, id)).toMatchObject({ status: "completed" });
  });

  it("notifies for sync, direct and resumable uploads too", async () => {
    const photo = await noisyPhoto(400, 300);
    const notify = (mode: string) => ({ "Upload-Notify-Url": receiver.url(`/${mode}`) });

    const sync = await postUpload(api, photo, "sync.jpg", SYNC_ENDPOINT, notify("sync"));
    expect(sync.status).toBe(201);

    const signing = await call(api, "/api/uploads/direct", {
      method: "POST",
      headers: { "content-type": "application/json", ...notify("direct") },
      body: JSON.stringify({ filename: "direct.jpg", bytes: photo.byteLength }),
    });
    const direct = directUploadSchema.parse(await signing.json());
    await fetch(direct.upload.url, {
      method: direct.upload.method,
      headers: direct.upload.headers,
      body: photo,
    });
    await acceptedUpload(await call(api, direct.completeUrl, { method: "POST" }));

    const location = createdAt(
      await call(api, RESUMABLE_ENDPOINT, {
        method: "POST",
        headers: {
          "Tus-Resumable": "1.0.0",
          "Upload-Length": String(photo.byteLength),
          "Upload-Metadata": `filename ${Buffer.from("tus.jpg").toString("base64")}`,
          ...notify("resumable"),
        },
      }),
    );
    expect((await patchResumable(api, location, 0, photo)).status).toBe(204);

    for (const mode of ["sync", "direct", "resumable"]) {
      const [delivery, ...more] = await receiver.received(`/${mode}`, 1);
      expect(more).toEqual([]);
      expect(verified(secret, delivery!)).toMatchObject({ type: "upload.completed", data: { mode } });
    }
  });

  it("refuses a notifyUrl on a link-local or private address at upload time, in every mode, before storing anything", async () => {
    const photo = await noisyPhoto(200, 150);
    const jobsBefore = await api.jobCount();
    const originalsBefore = await api.storage.listKeys("originals/");
    for (const url of [
      "http://169.254.169.254/",
      "http://10.0.0.1/",
      "http://[::ffff:10.0.0.1]/",
      "ftp://example.com/",
    ]) {
      const headers = { "Upload-Notify-Url": url };
      const answers = [
        await postUpload(api, photo, "a.jpg", undefined, headers),
        await postUpload(api, photo, "a.jpg", SYNC_ENDPOINT, headers),
        await call(api, "/api/uploads/direct", {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ filename: "a.jpg", bytes: photo.byteLength }),
        }),
        await call(api, RESUMABLE_ENDPOINT, {
          method: "POST",
          headers: { "Tus-Resumable": "1.0.0", "Upload-Length": String(photo.byteLength), ...headers },
        }),
      ];
      for (const answer of answers) {
        expect({ url, status: answer.status }).toEqual({ url, status: 400 });
        expect((await errorBody(answer)).error.code).toBe("NOTIFY_URL_REFUSED");
      }
    }
    expect(await api.jobCount()).toBe(jobsBefore);
    expect(await api.storage.listKeys("originals/")).toEqual(originalsBefore);
  });

  it("asks an owner without a secret to create one first", async () => {
    const stranger = await newCaller(api.url);
    const answer = await postUpload(stranger, await noisyPhoto(200, 150), "a.jpg", undefined, {
      "Upload-Notify-Url": receiver.url("/stranger"),
    });
    expect(answer.status).toBe(409);
    expect((await errorBody(answer)).error.code).toBe("WEBHOOK_SECRET_REQUIRED");
  });

  it("shows a secret once, rotates it with the old one still signing for a day, and deletes it", async () => {
    const owner = await newCaller(api.url);
    const first = await createSecret(owner);
    expect(first.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const described = await call(owner, "/api/webhook-secret");
    expect(await described.json()).toEqual({ createdAt: first.createdAt });

    const second = await createSecret(owner);
    expect(second.secret).not.toBe(first.secret);
    expect(Date.parse(second.previousValidUntil!) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    const { id } = await acceptedUpload(
      await postUpload(owner, await noisyPhoto(200, 150), "rotated.jpg", undefined, {
        "Upload-Notify-Url": receiver.url("/rotated"),
      }),
    );
    const [delivery] = await receiver.received("/rotated", 1);
    // A receiver still on the old secret and one already on the new both accept it.
    expect(verified(first.secret, delivery!).data.id).toBe(id);
    expect(verified(second.secret, delivery!).data.id).toBe(id);

    expect((await call(owner, "/api/webhook-secret", { method: "DELETE" })).status).toBe(204);
    expect((await call(owner, "/api/webhook-secret")).status).toBe(404);
  });
});
