import { freePort, startLocalSignIn } from "@darkroom/devstack";
import { signedInCookie } from "@darkroom/devstack/testing";
import type { Caller } from "./client";
import { startTestApi, type TestApi } from "./test-stack";

/** The development provider's account that is an admin in every sign-in test stack. */
export const OIDC_ADMIN = "ada";

/** A test API whose browsers sign in with a real OpenID Connect provider on this machine. */
export async function startTestApiWithSignIn(): Promise<TestApi> {
  // The provider must know the callback's URL before the API starts.
  const port = await freePort();
  const signIn = await startLocalSignIn({
    redirectUri: `http://127.0.0.1:${port}/api/auth/callback`,
    admins: [OIDC_ADMIN],
  });
  const api = await startTestApi({ PORT: String(port), ...signIn.env }).catch(async (error: unknown) => {
    await signIn.close();
    throw error;
  });
  return {
    ...api,
    async close() {
      await api.close();
      await signIn.close();
    },
  };
}

/** A browser signed in as `account`, through the provider's page. */
export async function signedIn(apiUrl: string, account: string): Promise<Caller> {
  return { url: apiUrl, headers: { cookie: await signedInCookie(apiUrl, account) } };
}
