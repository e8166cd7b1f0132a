import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, tokenOf } from "./support/client";
import { ADMIN_HEADERS, startTestApi, type TestApi } from "./support/test-stack";

describe("the API's own defences", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it("answers with helmet's headers, and a policy under which its answers load and run nothing", async () => {
    for (const response of [await fetch(`${api.url}/api/healthz`), await call(api, "/api/uploads")]) {
      expect(response.headers.get("content-security-policy")).toBe(
        "default-src 'none';frame-ancestors 'none'",
      );
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
      expect(response.headers.get("x-powered-by")).toBeNull();
    }
  });

  it("lets the queue dashboard's page load its own scripts and styles, and nothing frame it", async () => {
    const page = await call({ url: api.url, headers: ADMIN_HEADERS }, "/admin/queues");

    expect(page.status).toBe(200);
    const policy = page.headers.get("content-security-policy");
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
  });

  it("opens a socket for a page of its own origin, or a client that is no browser; never for another site's page", async () => {
    const connects = (extraHeaders: Record<string, string>) => {
      const socket = io(api.url, {
        transports: ["websocket"],
        reconnection: false,
        auth: { token: tokenOf(api) },
        extraHeaders,
      });
      return new Promise<boolean>((resolve) => {
        socket.once("connect", () => resolve(true));
        socket.once("connect_error", () => resolve(false));
      }).finally(() => socket.close());
    };

    expect(await connects({})).toBe(true);
    expect(await connects({ origin: api.url })).toBe(true);
    expect(await connects({ origin: "https://elsewhere.example" })).toBe(false);
    expect(await connects({ origin: "null" })).toBe(false);
  });
});
