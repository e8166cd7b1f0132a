import { randomBytes } from "node:crypto";
import {
  freePort,
  LOCAL_ADMIN_GROUP,
  startLocalOidcProvider,
  type LocalOidcProvider,
} from "@darkroom/devstack";
import { expect } from "vitest";
import { SESSION_COOKIE } from "../../src/identity/browser-sessions";
import type { Caller } from "./client";
import { startTestApi, type TestApi } from "./test-stack";

/** The development provider's accounts that are admins in every sign-in test stack. */
export const OIDC_ADMIN = "ada";

export interface SignInTestApi extends TestApi {
  provider: LocalOidcProvider;
}

/** A test API whose browsers sign in with a real OpenID Connect provider on this machine. */
export async function startTestApiWithSignIn(overrides: Record<string, string> = {}): Promise<SignInTestApi> {
  const provider = await startLocalOidcProvider({ admins: [OIDC_ADMIN] });
  // The provider must know the callback's URL before the API starts.
  const port = await freePort();
  const client = {
    clientId: "darkroom",
    clientSecret: randomBytes(24).toString("base64url"),
    redirectUri: `http://127.0.0.1:${port}/api/auth/callback`,
  };
  provider.register(client);
  const api = await startTestApi({
    PORT: String(port),
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: client.clientId,
    OIDC_CLIENT_SECRET: client.clientSecret,
    OIDC_REDIRECT_URI: client.redirectUri,
    OIDC_ADMIN_VALUE: LOCAL_ADMIN_GROUP,
    ...overrides,
  });
  return {
    ...api,
    provider,
    async close() {
      await api.close();
      await provider.close();
    },
  };
}

/** A browser on its way through a sign-in: the cookies it holds for 127.0.0.1 (per host, not port, as browsers keep them). */
export type CookieJar = Map<string, string>;

/**
 * A browser's sign-in, hop by hop, up to the API's callback: the API's
 * sign-in URL, the provider's page (where it names `account`) and the
 * provider's redirects. Returns the callback's URL, not yet called.
 */
export async function reachCallback(
  apiUrl: string,
  account: string,
  signInPath = "/api/auth/login",
): Promise<{ callbackUrl: URL; cookies: CookieJar }> {
  const cookies: CookieJar = new Map();
  let url = new URL(signInPath, apiUrl);
  let form: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.pathname === "/api/auth/callback") return { callbackUrl: url, cookies };
    const response = await browse(url, cookies, form);
    form = undefined;
    const location = response.headers.get("location");
    if (location) {
      url = new URL(location, url);
    } else {
      expect(response.status, `${url.pathname} shows the sign-in page`).toBe(200);
      form = new URLSearchParams({ account }).toString();
    }
    await response.body?.cancel();
  }
  throw new Error("The sign-in did not reach the API's callback");
}

/** One request as a browser makes it: the jar's cookies sent, the answer's kept, no redirect followed. */
export async function browse(url: URL, cookies: CookieJar, form?: string): Promise<Response> {
  const response = await fetch(url, {
    redirect: "manual",
    method: form === undefined ? "GET" : "POST",
    headers: {
      cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; "),
      ...(form !== undefined && { "content-type": "application/x-www-form-urlencoded" }),
    },
    body: form,
  });
  keepCookies(cookies, response);
  return response;
}

/** A browser signed in as `account`: its session cookie. */
export async function signedIn(apiUrl: string, account: string): Promise<Caller> {
  const { callbackUrl, cookies } = await reachCallback(apiUrl, account);
  const callback = await browse(callbackUrl, cookies);
  expect(callback.status).toBe(303);
  const session = cookies.get(SESSION_COOKIE);
  if (!session) throw new Error("The callback set no session");
  return { url: apiUrl, headers: { cookie: `${SESSION_COOKIE}=${session}` } };
}

function keepCookies(cookies: CookieJar, response: Response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair = "", ...attributes] = line.split(";");
    const [name = "", value = ""] = pair.split(/=(.*)/s).map((part) => part.trim());
    const cleared = attributes.some((attribute) =>
      /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(attribute),
    );
    if (cleared || value === "") cookies.delete(name);
    else cookies.set(name, value);
  }
}
