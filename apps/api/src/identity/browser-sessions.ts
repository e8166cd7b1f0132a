import { randomUUID } from "node:crypto";
import type { Account } from "@darkroom/contracts";
import { parseCookie } from "cookie";
import type { Response } from "express";
import { jwtVerify, SignJWT } from "jose";
import type { Owner } from "./owner";

export const SESSION_COOKIE = "darkroom_session";
const ISSUER = "darkroom";
/** Chrome keeps no cookie longer than 400 days. */
const ANONYMOUS_MAX_AGE_S = 400 * 24 * 3600;
/**
 * A signed-in session carries the account's admin claim as it was at sign-in:
 * it lasts a working day, so a claim the provider withdraws stops counting by then.
 */
const SIGNED_IN_MAX_AGE_S = 12 * 3600;

/**
 * Browser sessions. The cookie holds a signed token (HS256) whose subject is
 * the owner's id; nothing is stored on the server, so any API instance reads
 * it. Anonymous: a browser owns what it uploads with no sign-up. Signed in:
 * the owner is the provider's account, and the token carries its name and
 * whether it is an admin.
 */
export interface BrowserSessions {
  /** The owner in a request's `Cookie` header, if it carries a session this API signed. */
  read(cookieHeader: string | undefined): Promise<Owner | undefined>;
  /** A new anonymous owner, and the cookie that carries it on the response. */
  start(res: Response, secure: boolean): Promise<Owner>;
  /** Replaces the response's session with one for a signed-in account. */
  signIn(res: Response, secure: boolean, owner: Required<Owner>): Promise<void>;
  end(res: Response): void;
}

const accountClaims = (account: Account) => ({ name: account.name, admin: account.admin });

export function browserSessions(secret: string): BrowserSessions {
  const key = new TextEncoder().encode(secret);

  async function issue(res: Response, secure: boolean, owner: Owner, maxAgeS: number) {
    const token = new SignJWT(owner.account && accountClaims(owner.account))
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(ISSUER)
      .setSubject(owner.id)
      .setIssuedAt();
    // An anonymous session lives as long as its cookie; a signed-in one expires by itself too.
    if (owner.account) token.setExpirationTime(`${maxAgeS}s`);
    res.cookie(SESSION_COOKIE, await token.sign(key), {
      httpOnly: true,
      sameSite: "lax",
      secure,
      path: "/",
      maxAge: maxAgeS * 1000,
    });
  }

  return {
    async read(cookieHeader) {
      const token = cookieHeader && parseCookie(cookieHeader)[SESSION_COOKIE];
      if (!token) return undefined;
      const verified = await jwtVerify(token, key, { algorithms: ["HS256"], issuer: ISSUER }).catch(
        () => undefined,
      );
      const { sub, name, admin } = verified?.payload ?? {};
      if (!sub) return undefined;
      return typeof name === "string" ? { id: sub, account: { name, admin: admin === true } } : { id: sub };
    },

    async start(res, secure) {
      const owner = { id: randomUUID() };
      await issue(res, secure, owner, ANONYMOUS_MAX_AGE_S);
      return owner;
    },

    signIn: (res, secure, owner) => issue(res, secure, owner, SIGNED_IN_MAX_AGE_S),

    end(res) {
      res.clearCookie(SESSION_COOKIE, { path: "/" });
    },
  };
}
