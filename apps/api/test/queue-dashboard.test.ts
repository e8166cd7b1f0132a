import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/test-stack";

const USER = "operator";
const PASSWORD = "correct horse battery";
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("the queue dashboard at /admin/queues", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ QUEUE_DASHBOARD_USER: USER, QUEUE_DASHBOARD_PASSWORD: PASSWORD });
  });
  afterAll(() => api?.close());

  it("answers 401 with a challenge without credentials, or with wrong ones", async () => {
    const none = await fetch(`${api.url}/admin/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Basic realm=/);

    const wrong = await fetch(`${api.url}/admin/queues/api/queues`, {
      headers: { Authorization: basic(USER, "guess") },
    });
    expect(wrong.status).toBe(401);
  });

  it("shows the photo queue to the operator", async () => {
    const authorization = { Authorization: basic(USER, PASSWORD) };

    const page = await fetch(`${api.url}/admin/queues`, { headers: authorization });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);

    const queues = await fetch(`${api.url}/admin/queues/api/queues`, { headers: authorization });
    expect(queues.status).toBe(200);
    const body = (await queues.json()) as { queues: { name: string }[] };
    expect(body.queues.map((queue) => queue.name)).toEqual([api.config.queue.name]);
  });
});

describe("without dashboard credentials", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it("has no dashboard at all", async () => {
    expect((await fetch(`${api.url}/admin/queues`)).status).toBe(404);
  });
});
