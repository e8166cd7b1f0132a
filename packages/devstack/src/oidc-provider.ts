import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";

/** The group a development account is in when it is named as an admin. */
const LOCAL_ADMIN_GROUP = "darkroom-admins";

/** A development provider, and the API's settings to sign in with it. */
export interface LocalSignIn {
  issuer: string;
  /** `OIDC_*`: the API's client at the provider, and the admin group. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (`oidc-provider`, the certified one) on
 * 127.0.0.1, for development and tests, with the application registered to
 * come back to `redirectUri`: its sign-in page takes any account name,
 * without a password, and the accounts named in `admins` are in the group
 * `darkroom-admins` (a `groups` claim in the `profile` scope). Consent is
 * implied, as for a first-party application.
 */
export async function startLocalSignIn(options: {
  redirectUri: string;
  admins: string[];
}): Promise<LocalSignIn> {
  const admins = new Set(options.admins);
  const client = { id: "darkroom", secret: randomBytes(24).toString("base64url") };
  let handle: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.id,
        client_secret: client.secret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: "RS256", use: "sig" }] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    claims: { openid: ["sub"], profile: ["name", "groups"] },
    findAccount: (_ctx, accountId) => ({
      accountId,
      claims: () => ({
        sub: accountId,
        name: accountId,
        groups: admins.has(accountId) ? [LOCAL_ADMIN_GROUP] : [],
      }),
    }),
    loadExistingGrant: grantEveryScope,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
  });
  const callback = provider.callback();
  handle = (req, res) => {
    if (!/^\/interaction\/[\w-]+$/.test(req.url ?? "")) return void callback(req, res);
    signInPage(provider, req, res).catch((error: unknown) =>
      res.writeHead(400, { "content-type": "text/plain" }).end(String(error)),
    );
  };

  return {
    issuer,
    env: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: client.id,
      OIDC_CLIENT_SECRET: client.secret,
      OIDC_REDIRECT_URI: options.redirectUri,
      OIDC_ADMIN_VALUE: LOCAL_ADMIN_GROUP,
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The page the provider sends people to: an account name to sign in as, posted back to itself. */
async function signInPage(provider: Provider, req: IncomingMessage, res: ServerResponse) {
  const { uid, prompt } = await provider.interactionDetails(req, res);
  if (req.method === "POST") {
    const account = new URLSearchParams(await bodyOf(req)).get("account")?.trim();
    if (account) return provider.interactionFinished(req, res, { login: { accountId: account } });
  }
  if (prompt.name !== "login") throw new Error(`unexpected prompt ${prompt.name}`);
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in (development provider)</title></head>
<body><form method="post" action="/interaction/${uid}">
<label>Account name <input name="account" autocomplete="username" required autofocus></label>
<button type="submit">Sign in</button>
</form></body></html>`);
}

/** First-party: whatever the application asks for is granted without a consent page. */
async function grantEveryScope(ctx: KoaContextWithOIDC) {
  const { client, session, params, provider } = ctx.oidc;
  if (!client || !session?.accountId) return undefined;
  const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  grant.addOIDCScope(typeof params?.scope === "string" ? params.scope : "openid");
  await grant.save();
  return grant;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += String(chunk);
  return body;
}
