import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/test-stack";

describe("health", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it("is live, and ready once Redis and S3 answer", async () => {
    expect(await (await fetch(`${api.url}/api/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${api.url}/api/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { redis: "ok", s3: "ok" } });
  });
});
