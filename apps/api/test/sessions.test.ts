import { apiSessionSchema, currentSessionSchema } from "@darkroom/contracts";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptedUpload, call, errorBody, ownerIdOf, postUpload, type Caller } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";

/** The `darkroom_session` cookie a response sets, as `name=value` and its attributes. */
function sessionCookie(response: Response): { pair: string; attributes: string[] } {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith("darkroom_session="));
  expect(cookie).toBeDefined();
  const [pair, ...attributes] = cookie!.split(";").map((part) => part.trim());
  return { pair: pair!, attributes: attributes.map((attribute) => attribute.toLowerCase()) };
}

describe("sessions: a browser owns what it uploads with no sign-up; API clients take tokens", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it("starts a browser session on a first visit: an HttpOnly, SameSite=Lax cookie, Secure behind TLS", async () => {
    const plain = sessionCookie(await fetch(`${api.url}/api/sessions/current`));
    expect(plain.attributes).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "path=/"]));
    expect(plain.attributes).not.toContain("secure");

    // A proxy it trusts (loopback here) terminated TLS.
    const behindTls = await fetch(`${api.url}/api/sessions/current`, {
      headers: { "x-forwarded-proto": "https" },
    });
    expect(sessionCookie(behindTls).attributes).toContain("secure");
  });

  it("knows the browser again by its cookie, on every call, and its uploads are its own", async () => {
    const first = await fetch(`${api.url}/api/sessions/current`);
    const browser: Caller = { url: api.url, headers: { cookie: sessionCookie(first).pair } };
    const { owner } = currentSessionSchema.parse(await first.json());

    const { id } = await acceptedUpload(await postUpload(browser, await noisyPhoto(400, 300)));

    expect(await ownerIdOf(browser)).toBe(owner);
    expect((await call(browser, `/api/uploads/${id}`)).status).toBe(200);
    // A token minted in the browser's session acts for the same owner.
    const minted = apiSessionSchema.parse(
      await (await call(browser, "/api/sessions", { method: "POST" })).json(),
    );
    expect(minted.owner).toBe(owner);
    expect(minted.token).toMatch(/^drk_[\w-]{43}$/);
  });

  it("takes a cookie it did not sign for none: a tampered one starts a new owner", async () => {
    const first = await fetch(`${api.url}/api/sessions/current`);
    const { owner } = currentSessionSchema.parse(await first.json());
    const pair = sessionCookie(first).pair;
    const tampered = `${pair.slice(0, -2)}${pair.endsWith("AA") ? "BB" : "AA"}`;

    const answer = await fetch(`${api.url}/api/sessions/current`, { headers: { cookie: tampered } });

    expect(currentSessionSchema.parse(await answer.json()).owner).not.toBe(owner);
    expect(sessionCookie(answer).pair).not.toBe(tampered);
  });

  it("lets a socket in with the session cookie, as a browser connects", async () => {
    const cookie = sessionCookie(await fetch(`${api.url}/api/sessions/current`)).pair;
    const socket = io(api.url, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie } });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("connect_error", reject);
      });
    } finally {
      socket.close();
    }
  });

  it("mints at most 20 API tokens a client in 10 minutes, each kept for weeks in Redis", async () => {
    const mint = () =>
      fetch(`${api.url}/api/sessions`, { method: "POST", headers: { "X-Forwarded-For": "203.0.113.50" } });
    for (let token = 0; token < 20; token++) expect((await mint()).status).toBe(201);

    const refused = await mint();

    expect(refused.status).toBe(429);
    expect((await errorBody(refused)).error.code).toBe("RATE_LIMITED");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("ends a browser session on DELETE /api/sessions/current: the cookie is cleared", async () => {
    const cookie = sessionCookie(await fetch(`${api.url}/api/sessions/current`)).pair;
    const ended = await fetch(`${api.url}/api/sessions/current`, { method: "DELETE", headers: { cookie } });
    expect(ended.status).toBe(204);
    expect(sessionCookie(ended).attributes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^expires=/)]),
    );
  });
});
