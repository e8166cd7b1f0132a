import { createHash } from "node:crypto";
import type { Account } from "@darkroom/contracts";
import { parseCookie } from "cookie";
import { Router, type Request } from "express";
import { jwtVerify, SignJWT } from "jose";
import * as oidc from "openid-client";
import { z } from "zod";
import { LOOPBACK_HOSTS, type OidcOptions } from "../env";
import { AppError } from "../http/app-error";
import type { BrowserSessions } from "./browser-sessions";
import type { Owner } from "./owner";

export const SIGN_IN_URL = "/api/auth/login";
const CALLBACK_PATH = "/api/auth/callback";
/** The sign-in under way: what the callback checks the provider's answer against. */
const TRANSACTION_COOKIE = "darkroom_sign_in";
const TRANSACTION_AUDIENCE = "darkroom-sign-in";
const TRANSACTION_MAX_AGE_S = 10 * 60;

const transactionSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  verifier: z.string(),
  returnTo: z.string(),
});
type Transaction = z.infer<typeof transactionSchema>;

/**
 * Sign-in with the deployment's OpenID Connect provider (authorization code
 * flow with PKCE, state and nonce). `GET /api/auth/login?returnTo=/path`
 * sends the browser to the provider; `GET /api/auth/callback` checks its
 * answer, and replaces the browser's session with the account's. The
 * account's owner id comes from the issuer and subject, so it is the same on
 * every device and after every sign-in.
 */
export function oidcSignInRoutes(options: OidcOptions, sessions: BrowserSessions, secret: string): Router {
  const router = Router();
  const key = new TextEncoder().encode(secret);
  const provider = discoveredLazily(options);
  const transactionCookie = (req: Request) => ({
    httpOnly: true,
    // The provider sends the browser back with a top-level GET: Lax lets the cookie ride along.
    sameSite: "lax" as const,
    secure: req.secure,
    path: "/api/auth",
  });

  router.get(SIGN_IN_URL, async (req, res) => {
    const config = await provider();
    const transaction: Transaction = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      returnTo: localPath(req.query.returnTo),
    };
    const destination = oidc.buildAuthorizationUrl(config, {
      redirect_uri: options.redirectUri.href,
      scope: options.scope,
      state: transaction.state,
      nonce: transaction.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(transaction.verifier),
      code_challenge_method: "S256",
    });
    const sealed = await new SignJWT(transaction)
      .setProtectedHeader({ alg: "HS256" })
      .setAudience(TRANSACTION_AUDIENCE)
      .setExpirationTime(`${TRANSACTION_MAX_AGE_S}s`)
      .sign(key);
    res
      .cookie(TRANSACTION_COOKIE, sealed, { ...transactionCookie(req), maxAge: TRANSACTION_MAX_AGE_S * 1000 })
      .set("Cache-Control", "no-store")
      .redirect(303, destination.href);
  });

  router.get(CALLBACK_PATH, async (req, res) => {
    res.clearCookie(TRANSACTION_COOKIE, transactionCookie(req));
    const sealed = parseCookie(req.headers.cookie ?? "")[TRANSACTION_COOKIE];
    const opened = sealed
      ? await jwtVerify(sealed, key, { algorithms: ["HS256"], audience: TRANSACTION_AUDIENCE }).catch(
          () => undefined,
        )
      : undefined;
    const transaction = transactionSchema.safeParse(opened?.payload);
    if (!transaction.success) throw new AppError("SIGN_IN_FAILED");

    const config = await provider();
    const owner = await accountOf(config, options, callbackUrl(options, req), transaction.data);
    await sessions.signIn(res, req.secure, owner);
    req.log.info({ owner: owner.id, admin: owner.account.admin }, "signed in");
    res.set("Cache-Control", "no-store").redirect(303, transaction.data.returnTo);
  });

  return router;
}

/** The provider's metadata, fetched on the first sign-in and kept; fetched again after a failure. */
function discoveredLazily(options: OidcOptions): () => Promise<oidc.Configuration> {
  let discovered: Promise<oidc.Configuration> | undefined;
  return () =>
    (discovered ??= oidc
      .discovery(
        options.issuer,
        options.clientId,
        options.clientSecret,
        undefined,
        // A development provider on this machine speaks plain http; env.ts allows it nowhere else.
        LOOPBACK_HOSTS.has(options.issuer.hostname) ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw new AppError("SIGN_IN_UNAVAILABLE", undefined, { cause: error });
      }));
}

async function accountOf(
  config: oidc.Configuration,
  options: OidcOptions,
  callback: URL,
  transaction: Transaction,
): Promise<Required<Owner>> {
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      expectedState: transaction.state,
      expectedNonce: transaction.nonce,
      pkceCodeVerifier: transaction.verifier,
      idTokenExpected: true,
    });
    const idToken = tokens.claims()!;
    // Providers put profile and group claims in the ID token, the userinfo answer, or both.
    const userInfo = config.serverMetadata().userinfo_endpoint
      ? await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)
      : {};
    const claims: Record<string, unknown> = { ...userInfo, ...idToken };
    return { id: accountOwnerId(idToken.iss, idToken.sub), account: account(claims, options) };
  } catch (error) {
    // fetch's TypeError: the provider did not answer. Anything else: it refused, or its answer failed a check.
    if (error instanceof TypeError) throw new AppError("SIGN_IN_UNAVAILABLE", undefined, { cause: error });
    throw new AppError("SIGN_IN_FAILED", undefined, { cause: error });
  }
}

/** Stable per account and provider, of a fixed shape whatever the provider's subject looks like. */
function accountOwnerId(issuer: string, subject: string): string {
  return `oidc-${createHash("sha256").update(`${issuer}\n${subject}`).digest("base64url").slice(0, 32)}`;
}

function account(claims: Record<string, unknown>, { admin }: OidcOptions): Account {
  const name = [claims.name, claims.preferred_username, claims.email, claims.sub].find(
    (value): value is string => typeof value === "string" && value !== "",
  )!;
  const held = claims[admin.claim];
  const isAdmin =
    admin.value !== undefined && (Array.isArray(held) ? held.includes(admin.value) : held === admin.value);
  return { name, admin: isAdmin };
}

/** The registered redirect URI with the provider's answer: what the code was issued for. */
function callbackUrl(options: OidcOptions, req: Request): URL {
  const url = new URL(options.redirectUri);
  url.search = new URL(req.originalUrl, "http://callback").search;
  return url;
}

/** Only a path on this site: a sign-in must not become a redirect to anywhere. */
function localPath(returnTo: unknown): string {
  return typeof returnTo === "string" && /^\/(?![/\\])/.test(returnTo) ? returnTo : "/";
}
