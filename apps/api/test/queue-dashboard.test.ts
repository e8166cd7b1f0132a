import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, errorBody } from "./support/client";
import { ADMIN_HEADERS, startTestApi, TEST_ADMIN, type TestApi } from "./support/test-stack";

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("the queue dashboard at /admin/queues", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it.each(["/admin/queues", "/api/jobs/counts"])(
    "answers %s with 401 ADMIN_REQUIRED and a challenge without credentials, with wrong ones, or with an owner's token",
    async (path) => {
      for (const response of [
        await fetch(`${api.url}${path}`),
        await fetch(`${api.url}${path}`, { headers: { Authorization: basic(TEST_ADMIN.user, "guess") } }),
        await call(api, path),
      ]) {
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
        expect((await errorBody(response)).error.code).toBe("ADMIN_REQUIRED");
      }
    },
  );

  it("shows the photo queue and the webhooks' queue, and their counts, to the admin", async () => {
    const page = await fetch(`${api.url}/admin/queues`, { headers: ADMIN_HEADERS });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);

    const queues = await fetch(`${api.url}/admin/queues/api/queues`, { headers: ADMIN_HEADERS });
    expect(queues.status).toBe(200);
    const body = (await queues.json()) as { queues: { name: string }[] };
    expect(body.queues.map((queue) => queue.name)).toEqual([
      api.config.queue.name,
      `${api.config.queue.name}-notify`,
    ]);

    expect((await fetch(`${api.url}/api/jobs/counts`, { headers: ADMIN_HEADERS })).status).toBe(200);
  });
});

describe("with no admin configured", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ ADMIN_USER: "", ADMIN_PASSWORD: "" });
  });
  afterAll(() => api?.close());

  it("lets nobody into the dashboard or the queue's jobs: 401, whatever the credentials", async () => {
    for (const path of ["/admin/queues", "/api/jobs/counts"]) {
      for (const headers of [{}, ADMIN_HEADERS, { authorization: basic("", "") }]) {
        const response = await fetch(`${api.url}${path}`, { headers });
        expect(response.status).toBe(401);
        expect((await errorBody(response)).error.code).toBe("ADMIN_REQUIRED");
      }
    }
  });
});
