import { createLogger } from "@darkroom/runtime";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/env";
import { startApiServer, type RunningApi } from "../src/server";
import { acceptedUpload, errorBody, postUpload, SYNC_ENDPOINT } from "./support/client";
import { startRawUpload } from "./support/raw-upload";
import { startTestApi, type TestApi } from "./support/test-stack";

let photo: Buffer;
beforeAll(async () => {
  photo = await noisyPhoto(800, 600);
});

describe("the per-client upload rate limit", () => {
  let api: TestApi;
  let secondInstance: RunningApi;
  beforeAll(async () => {
    api = await startTestApi({ UPLOAD_RATE_LIMIT: "3", UPLOAD_RATE_WINDOW_S: "60" });
    // Another API instance on the same Redis, as behind a load balancer.
    secondInstance = await startApiServer(loadConfig(api.env), createLogger("api-test-2", "warn"));
  });
  afterAll(async () => {
    await secondInstance?.close();
    await api?.close();
  });

  it("answers 429 with Retry-After past the limit, counted across API instances, storing nothing", async () => {
    // One client, whichever instance the load balancer sends it to.
    const onSecond = { url: secondInstance.url, headers: api.headers };
    for (const caller of [api, onSecond, api]) await acceptedUpload(await postUpload(caller, photo));
    const originals = await api.storage.listKeys("originals/");

    for (const [caller, endpoint] of [
      [onSecond, undefined],
      [api, SYNC_ENDPOINT],
    ] as const) {
      const refused = await postUpload(caller, photo, "photo.jpg", endpoint);
      expect(refused.status).toBe(429);
      expect((await errorBody(refused)).error.code).toBe("RATE_LIMITED");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(await api.storage.listKeys("originals/")).toEqual(originals);
  });
});

describe("a queue deeper than QUEUE_MAX_WAITING", () => {
  let api: TestApi;
  beforeAll(async () => {
    // No worker runs: every accepted upload stays waiting.
    api = await startTestApi({ QUEUE_MAX_WAITING: "2" });
  });
  afterAll(() => api?.close());

  it("turns queued uploads away with 503 QUEUE_FULL and Retry-After, before reading them", async () => {
    await acceptedUpload(await postUpload(api, photo));
    await acceptedUpload(await postUpload(api, photo));

    const refused = await postUpload(api, photo);

    expect(refused.status).toBe(503);
    expect((await errorBody(refused)).error.code).toBe("QUEUE_FULL");
    expect(refused.headers.get("retry-after")).toBe("30");
    expect(await api.storage.listKeys("originals/")).toHaveLength(2);
    expect(await api.queue.waitingCount()).toBe(2);
  });
});

describe("sync uploads beyond SYNC_MAX_IN_FLIGHT", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ SYNC_MAX_IN_FLIGHT: "1" });
  });
  afterAll(() => api?.close());

  it("get 503 SYNC_SATURATED with Retry-After at once, while the one in flight completes", async () => {
    const inFlight = await startRawUpload(api, photo, {
      endpoint: SYNC_ENDPOINT,
      sentBytes: photo.byteLength / 2,
    });
    await vi.waitFor(async () => expect(await api.spooledFiles()).toHaveLength(1));

    const refused = await postUpload(api, photo, "photo.jpg", SYNC_ENDPOINT);

    expect(refused.status).toBe(503);
    expect((await errorBody(refused)).error.code).toBe("SYNC_SATURATED");
    expect(refused.headers.get("retry-after")).toBe("5");
    inFlight.finish();
    expect(await inFlight.status).toBe(201);
    expect(await api.storage.listKeys("originals/")).toHaveLength(1);
  });
});
