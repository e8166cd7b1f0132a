import { currentSessionSchema, recentUploadsSchema } from "@darkroom/contracts";
import { freePort } from "@darkroom/devstack";
import { browse, reachCallback } from "@darkroom/devstack/testing";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../src/identity/browser-sessions";
import { acceptedUpload, call, errorBody, postUpload, type Caller } from "./support/client";
import { OIDC_ADMIN, signedIn, startTestApiWithSignIn } from "./support/sign-in";
import { startTestApi, type TestApi } from "./support/test-stack";

const currentSession = async (caller: Caller) =>
  currentSessionSchema.parse(await (await call(caller, "/api/sessions/current")).json());

describe("sign-in with an OpenID Connect provider (a real one, on this machine)", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApiWithSignIn();
  });
  afterAll(() => api?.close());

  it("offers the sign-in to an anonymous browser, and names the account once signed in", async () => {
    expect(await currentSession({ url: api.url, headers: {} })).toMatchObject({
      signInUrl: "/api/auth/login",
    });

    const session = await currentSession(await signedIn(api.url, "grace"));

    expect(session.owner).toMatch(/^oidc-[\w-]{32}$/);
    expect(session.account).toEqual({ name: "grace", admin: false });
    expect(session.signInUrl).toBeUndefined();
  });

  it("makes an account the same owner on every device: its uploads follow it", async () => {
    const laptop = await signedIn(api.url, "grace");
    const phone = await signedIn(api.url, "grace");
    const { id } = await acceptedUpload(await postUpload(laptop, await noisyPhoto(400, 300)));

    expect((await currentSession(phone)).owner).toBe((await currentSession(laptop)).owner);
    const listing = recentUploadsSchema.parse(await (await call(phone, "/api/uploads")).json());
    expect(listing.uploads.map((upload) => upload.id)).toContain(id);
    expect((await currentSession(await signedIn(api.url, "linus"))).owner).not.toBe(
      (await currentSession(laptop)).owner,
    );
  });

  it("sets a session cookie that is HttpOnly, SameSite=Lax and lasts a working day", async () => {
    const { callbackUrl, cookies } = await reachCallback(api.url, "grace");
    const callback = await browse(callbackUrl, cookies);
    const cookie = callback.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`));

    expect(cookie?.toLowerCase()).toMatch(/max-age=43200;.*httponly;.*samesite=lax/);
  });

  it("makes an admin of an account in the admin group, and of no one else", async () => {
    const admin = await signedIn(api.url, OIDC_ADMIN);
    const grace = await signedIn(api.url, "grace");

    expect((await currentSession(admin)).account).toEqual({ name: OIDC_ADMIN, admin: true });
    expect((await call(admin, "/api/jobs/counts")).status).toBe(200);
    expect((await call(admin, "/admin/queues")).status).toBe(200);
    expect((await call(grace, "/api/jobs/counts")).status).toBe(401);
  });

  it("returns to the page the sign-in started from, and only to a page of this site", async () => {
    for (const [returnTo, landing] of [
      ["/uploads/abc?x=1", "/uploads/abc?x=1"],
      ["//evil.example/", "/"],
      ["/\\evil.example/", "/"],
      ["https://evil.example/", "/"],
    ]) {
      const path = `/api/auth/login?returnTo=${encodeURIComponent(returnTo!)}`;
      const { callbackUrl, cookies } = await reachCallback(api.url, "grace", path);
      const callback = await browse(callbackUrl, cookies);
      expect({ returnTo, location: callback.headers.get("location") }).toEqual({
        returnTo,
        location: landing,
      });
    }
  });

  it("refuses a callback it did not start, a replayed one, a forged state and a provider's refusal", async () => {
    const expectRefused = async (response: Response) => {
      expect(response.status).toBe(400);
      expect((await errorBody(response)).error.code).toBe("SIGN_IN_FAILED");
      expect(response.headers.getSetCookie().join()).not.toContain(`${SESSION_COOKIE}=`);
    };
    const started = await reachCallback(api.url, "grace");
    // Not started in this browser: no transaction cookie.
    await expectRefused(await browse(started.callbackUrl, new Map()));

    const forged = new URL(started.callbackUrl);
    forged.searchParams.set("state", "forged");
    await expectRefused(await browse(forged, new Map(started.cookies)));

    const refused = new URL(started.callbackUrl);
    refused.search = new URLSearchParams({
      error: "access_denied",
      state: started.callbackUrl.searchParams.get("state")!,
    }).toString();
    await expectRefused(await browse(refused, new Map(started.cookies)));

    // A code is good once: replaying a callback that worked, with its cookie kept, fails.
    const kept = new Map(started.cookies);
    expect((await browse(started.callbackUrl, started.cookies)).status).toBe(303);
    await expectRefused(await browse(started.callbackUrl, kept));
  });

  it("signs out to an anonymous session", async () => {
    const grace = await signedIn(api.url, "grace");
    const signingOut = await call(grace, "/api/sessions/current", { method: "DELETE" });

    expect(signingOut.status).toBe(204);
    expect(signingOut.headers.getSetCookie().join()).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
  });
});

describe("sign-in when the provider cannot be reached", () => {
  it("answers 503 SIGN_IN_UNAVAILABLE with a Retry-After, and anonymous uploads go on", async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const api = await startTestApi({
      OIDC_ISSUER: nobody,
      OIDC_CLIENT_ID: "darkroom",
      OIDC_CLIENT_SECRET: "irrelevant-secret",
      OIDC_REDIRECT_URI: `${nobody}/api/auth/callback`,
    });
    try {
      const response = await fetch(`${api.url}/api/auth/login`, { redirect: "manual" });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("30");
      expect((await errorBody(response)).error.code).toBe("SIGN_IN_UNAVAILABLE");
      expect((await postUpload(api, await noisyPhoto(300, 200))).status).toBe(202);
    } finally {
      await api.close();
    }
  });
});
