/**
 * A browser's part in a sign-in with the development provider, for tests
 * that call the API without one: cookies kept per host, not per port, as
 * browsers keep them, and each redirect seen.
 */
export type CookieJar = Map<string, string>;

/**
 * From the API's sign-in URL through the provider's page (where the browser
 * names `account`) and its redirects, up to the API's callback: its URL, not
 * yet called, and the cookies the browser holds.
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
    await response.body?.cancel();
    const location = response.headers.get("location");
    if (location) {
      url = new URL(location, url);
      form = undefined;
    } else if (response.status === 200 && form === undefined) {
      form = new URLSearchParams({ account }).toString();
    } else {
      throw new Error(`The sign-in stopped at ${url.pathname} with ${response.status}`);
    }
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
  for (const line of response.headers.getSetCookie()) {
    const [pair = "", ...attributes] = line.split(";");
    const [name = "", value = ""] = pair.split(/=(.*)/s).map((part) => part.trim());
    const cleared = attributes.some((attribute) =>
      /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(attribute),
    );
    if (cleared || value === "") cookies.delete(name);
    else cookies.set(name, value);
  }
  return response;
}

/** The `Cookie` header of a browser signed in as `account`: the session the API's callback set. */
export async function signedInCookie(apiUrl: string, account: string): Promise<string> {
  const { callbackUrl, cookies } = await reachCallback(apiUrl, account);
  const before = new Map(cookies);
  const callback = await browse(callbackUrl, cookies);
  const set = [...cookies].filter(([name, value]) => before.get(name) !== value);
  if (callback.status !== 303 || set.length === 0)
    throw new Error(`The callback answered ${callback.status} and set no session`);
  return set.map(([name, value]) => `${name}=${value}`).join("; ");
}
