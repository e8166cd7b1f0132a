import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, errorBody } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

describe("reads of uploads, per client", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ READ_RATE_LIMIT: "5" });
  });
  afterAll(() => api?.close());

  const read = (path: string, client: string) => call(api, path, { headers: { "X-Forwarded-For": client } });

  it("are limited per minute: status and listing alike, and one client's reads spare another's", async () => {
    const paths = ["/api/uploads", `/api/uploads/${crypto.randomUUID()}`];
    for (let i = 0; i < 5; i++) expect((await read(paths[i % 2]!, "203.0.113.9")).status).not.toBe(429);

    for (const path of paths) {
      const refused = await read(path, "203.0.113.9");
      expect(refused.status).toBe(429);
      expect((await errorBody(refused)).error).toMatchObject({ code: "RATE_LIMITED", message: /reads/ });
    }
    expect((await read("/api/uploads", "198.51.100.9")).status).toBe(200);
  });
});
