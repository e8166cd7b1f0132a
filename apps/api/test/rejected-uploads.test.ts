import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  freePort,
  startApiProcess,
  startRedisServer,
  type RedisServer,
  type StartedProcess,
} from "@darkroom/devstack";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { createProducerConnection } from "@darkroom/queue";
import { noisyPhoto, solidImage } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { call, errorBody, postUpload, QUEUED_ENDPOINT, SYNC_ENDPOINT, type Caller } from "./support/client";
import { startRawUpload } from "./support/raw-upload";
import { startTestApi, type TestApi } from "./support/test-stack";

const MAX_BYTES = 256 * 1024;

describe.each([QUEUED_ENDPOINT, SYNC_ENDPOINT])(
  "POST %s turns bad uploads away, storing and enqueuing nothing",
  (endpoint) => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ UPLOAD_MAX_BYTES: String(MAX_BYTES) });
    });
    afterAll(() => api?.close());

    async function expectNothingLeft() {
      expect(await api.storage.listKeys("")).toEqual([]);
      expect(await api.spooledFiles()).toEqual([]);
      expect(await api.jobCount()).toBe(0);
    }

    it("answers 415 to a text file named .jpg and sent as image/jpeg", async () => {
      const response = await postUpload(
        api,
        Buffer.from("just some text\n".repeat(500)),
        "photo.jpg",
        endpoint,
      );

      expect(response.status).toBe(415);
      expect((await errorBody(response)).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
      await expectNothingLeft();
    });

    it("answers 413 from Content-Length alone when the body is far over the limit", async () => {
      const response = await postUpload(api, await noisyPhoto(1200, 900), "big.jpg", endpoint);

      expect(response.status).toBe(413);
      expect(await errorBody(response)).toMatchObject({ error: { code: "FILE_TOO_LARGE" } });
      await expectNothingLeft();
    });

    it("answers 413 once the stream passes the limit, when Content-Length did not tell", async () => {
      const photo = await noisyPhoto(1200, 900);
      const form = new FormData();
      form.append("file", new Blob([photo.subarray(0, MAX_BYTES + 1000)], { type: "image/jpeg" }), "big.jpg");
      // Re-sent as a stream of unknown length, as a proxy might forward it.
      const encoded = new Response(form);
      const response = await call(api, endpoint, {
        method: "POST",
        headers: { "content-type": encoded.headers.get("content-type")! },
        body: encoded.body,
        duplex: "half",
      });

      expect(response.status).toBe(413);
      expect((await errorBody(response)).error.code).toBe("FILE_TOO_LARGE");
      await expectNothingLeft();
    });

    it("answers 400 MISSING_FILE when the form has no file field", async () => {
      const form = new FormData();
      form.append("note", "no photo here");

      const response = await call(api, endpoint, { method: "POST", body: form });

      expect(response.status).toBe(400);
      expect((await errorBody(response)).error.code).toBe("MISSING_FILE");
      await expectNothingLeft();
    });

    it("answers 400 TOO_MANY_FILES to two files in one request", async () => {
      const photo = await solidImage(64, 64);
      const form = new FormData();
      form.append("file", new Blob([photo], { type: "image/jpeg" }), "a.jpg");
      form.append("file", new Blob([photo], { type: "image/jpeg" }), "b.jpg");

      const response = await call(api, endpoint, { method: "POST", body: form });

      expect(response.status).toBe(400);
      expect((await errorBody(response)).error.code).toBe("TOO_MANY_FILES");
      await expectNothingLeft();
    });

    it("answers 404 NOT_FOUND for an unknown upload id", async () => {
      const response = await call(api, `/api/uploads/${crypto.randomUUID()}`);

      expect(response.status).toBe(404);
      expect((await errorBody(response)).error.code).toBe("NOT_FOUND");
    });
  },
);

describe("when Redis goes down", () => {
  let api: TestApi;
  let redis: RedisServer;
  let redisDir: string;
  beforeAll(async () => {
    redisDir = await mkdtemp(join(tmpdir(), "darkroom-redis-"));
    redis = await startRedisServer(redisDir);
    api = await startTestApi({ REDIS_URL: redis.url });
    redis.process.child.kill("SIGKILL");
  });
  // The API is left open: after an outage its event stream connection cannot
  // close cleanly (an ioredis limitation), and this file's process ends anyway.
  afterAll(async () => {
    await Promise.all([redisDir, api.spoolDir].map((dir) => rm(dir, { recursive: true, force: true })));
  });

  // The caller's API token is looked up in Redis first: that lookup is what fails, at once.
  it("answers 503 QUEUE_UNAVAILABLE at once, before reading the body", async () => {
    const started = Date.now();
    const response = await postUpload(api, await solidImage(200, 100));

    expect(response.status).toBe(503);
    expect((await errorBody(response)).error.code).toBe("QUEUE_UNAVAILABLE");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await api.storage.listKeys("")).toEqual([]);
  });

  it("refuses to sign or complete a direct upload with 503 QUEUE_UNAVAILABLE, signing nothing", async () => {
    const signing = await call(api, "/api/uploads/direct", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ filename: "photo.jpg", bytes: 1000 }),
    });
    const completing = await call(api, `/api/uploads/${crypto.randomUUID()}/complete`, { method: "POST" });

    for (const response of [signing, completing]) {
      expect(response.status).toBe(503);
      expect((await errorBody(response)).error.code).toBe("QUEUE_UNAVAILABLE");
    }
  });

  it("reports not ready, naming Redis", async () => {
    const response = await fetch(`${api.url}/api/readyz`);

    expect(response.status).toBe(503);
    const body = (await response.json()) as { checks: Record<string, string> };
    expect(body).toMatchObject({ error: { code: "NOT_READY" }, checks: { s3: "ok" } });
    expect(body.checks.redis).not.toBe("ok");
  });
});

describe("an answer given before the body has arrived", () => {
  let api: StartedProcess;
  let caller: Caller;
  beforeAll(async () => {
    // A process of its own, so the answer comes back while the client is still sending.
    const port = await freePort();
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;
    api = await startApiProcess(isolatedEnv({ PORT: String(port), REDIS_URL: redisUrl }));
    // No token can be minted without Redis: these clients come with no credentials, as a browser's first visit.
    caller = { url: `http://127.0.0.1:${port}`, headers: {} };
  });
  afterAll(() => api?.stop());

  it("reaches each client, instead of a reset connection", async () => {
    const photo = await noisyPhoto(1600, 1200);
    const answers: string[] = [];
    // Clients that try again at once, each on its kept-alive connection.
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        for (let i = 0; i < 30; i++) {
          const response = await postUpload(caller, photo).catch((error: Error) => error);
          answers.push(
            response instanceof Error ? String(response.cause) : (await errorBody(response)).error.code,
          );
        }
      }),
    );

    expect(new Set(answers)).toEqual(new Set(["QUEUE_UNAVAILABLE"]));
  });
});

describe("when Redis refuses the job after the original is stored", () => {
  let api: TestApi;
  const redis = () => createProducerConnection(api.env.REDIS_URL!);
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it("answers 503 QUEUE_UNAVAILABLE and takes the stored original back", async () => {
    const admin = redis();
    await once(admin, "ready");
    // With noeviction, a full Redis refuses writes while the connection stays up.
    await admin.config("SET", "maxmemory", "1");
    try {
      const response = await postUpload(api, await solidImage(200, 100));

      expect(response.status).toBe(503);
      expect((await errorBody(response)).error.code).toBe("QUEUE_UNAVAILABLE");
    } finally {
      await admin.config("SET", "maxmemory", "0");
      await admin.quit();
    }
    expect(await api.storage.listKeys("")).toEqual([]);
  });
});

describe("a client that goes away mid-upload", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it("leaves no spooled file and nothing in storage", async () => {
    const photo = await noisyPhoto(1600, 1200);
    const upload = await startRawUpload(api, photo, { sentBytes: photo.byteLength / 2 });
    await vi.waitFor(async () => expect(await api.spooledFiles()).toHaveLength(1));

    upload.hangUp();

    await vi.waitFor(async () => expect(await api.spooledFiles()).toEqual([]));
    expect(await api.storage.listKeys("")).toEqual([]);
  });
});

describe("a stream that passes the size limit and keeps going", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ UPLOAD_MAX_BYTES: String(MAX_BYTES) });
  });
  afterAll(() => api?.close());

  it("gets its 413 while it is still sending", async () => {
    const photo = await noisyPhoto(1200, 900);
    const boundary = "darkroom-test-boundary";
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n\r\n`,
          ),
        );
        controller.enqueue(photo.subarray(0, MAX_BYTES + 64 * 1024));
        // The body never ends: only an early answer can finish this request.
      },
      cancel() {
        cancelled = true;
      },
    });

    const response = await call(api, "/api/uploads", {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half",
      signal: AbortSignal.timeout(10_000),
    });

    const answer = await errorBody(response);
    expect(answer.error.code).toBe("FILE_TOO_LARGE");
    expect(response.status).toBe(413);
    expect(cancelled).toBe(false);
    await vi.waitFor(async () => expect(await api.spooledFiles()).toEqual([]));
  });
});
