import { randomUUID } from "node:crypto";
import { parseCookie } from "cookie";
import type { Response } from "express";
import { jwtVerify, SignJWT } from "jose";

export const SESSION_COOKIE = "darkroom_session";
const ISSUER = "darkroom";
/** Chrome keeps no cookie longer than 400 days. */
const SESSION_MAX_AGE_MS = 400 * 24 * 3600 * 1000;

/**
 * Anonymous browser sessions: a browser owns what it uploads with no
 * sign-up. The cookie holds a signed token (HS256) whose subject is the
 * owner's id; nothing is stored on the server, so any API instance reads it.
 */
export interface BrowserSessions {
  /** The owner id in a request's `Cookie` header, if it carries a session this API signed. */
  read(cookieHeader: string | undefined): Promise<string | undefined>;
  /** A new owner, and the cookie that carries it on the response. */
  start(res: Response, secure: boolean): Promise<string>;
}

export function browserSessions(secret: string): BrowserSessions {
  const key = new TextEncoder().encode(secret);
  return {
    async read(cookieHeader) {
      const token = cookieHeader && parseCookie(cookieHeader)[SESSION_COOKIE];
      if (!token) return undefined;
      const verified = await jwtVerify(token, key, { algorithms: ["HS256"], issuer: ISSUER }).catch(
        () => undefined,
      );
      return verified?.payload.sub;
    },

    async start(res, secure) {
      const ownerId = randomUUID();
      const token = await new SignJWT()
        .setProtectedHeader({ alg: "HS256" })
        .setIssuer(ISSUER)
        .setSubject(ownerId)
        .setIssuedAt()
        .sign(key);
      res.cookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: "lax",
        secure,
        path: "/",
        maxAge: SESSION_MAX_AGE_MS,
      });
      return ownerId;
    },
  };
}
