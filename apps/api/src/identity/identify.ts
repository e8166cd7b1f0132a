import type { RequestHandler } from "express";
import type { Socket } from "socket.io";
import { AppError } from "../http/app-error";
import type { ApiTokens } from "./api-tokens";
import type { BrowserSessions } from "./browser-sessions";
import type { Owner } from "./owner";

export interface Identities {
  sessions: BrowserSessions;
  tokens: ApiTokens;
}

/** The token of an `Authorization: Bearer` header. */
export const bearerToken = (authorization: string | undefined): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];

interface Credentials {
  authorization?: string | undefined;
  cookie?: string | undefined;
}

/**
 * The owner the credentials name: an API token (`Authorization: Bearer`),
 * else a browser session cookie, signed in or anonymous. `undefined` when they name none; a token
 * that is unknown, expired or revoked is refused rather than ignored, so a
 * client never acts as a stranger by mistake.
 */
async function ownerNamed({ sessions, tokens }: Identities, credentials: Credentials) {
  const bearer = bearerToken(credentials.authorization);
  if (bearer !== undefined) {
    const id = await tokens.ownerIdFor(bearer);
    if (id === undefined) throw new AppError("UNAUTHENTICATED");
    return { id };
  }
  return sessions.read(credentials.cookie);
}

/**
 * Sets `req.owner`. A request with no credentials starts a browser session:
 * it is a browser's first visit, or a client that keeps no cookies, whose
 * uploads are then its own but cannot be found again (API clients take a
 * token from `POST /api/sessions`).
 */
export function identify(identities: Identities): RequestHandler {
  return async (req, res, next) => {
    req.owner =
      (await ownerNamed(identities, req.headers)) ?? (await identities.sessions.start(res, req.secure));
    next();
  };
}

/**
 * socket.io's counterpart, for `io.use`: the handshake's token
 * (`auth: { token }`, which browsers can send where they cannot set headers)
 * or cookie. A socket without either is refused: it could follow nothing.
 */
export function identifySocket(identities: Identities) {
  return (socket: Socket, next: (error?: Error) => void) => {
    const { headers, auth } = socket.handshake;
    const token = typeof auth.token === "string" ? `Bearer ${auth.token}` : headers.authorization;
    ownerNamed(identities, { authorization: token, cookie: headers.cookie })
      .then((owner) => {
        if (!owner)
          return next(
            new AppError(
              "UNAUTHENTICATED",
              "Connect with the session cookie, or an API token as `auth: { token }`.",
            ),
          );
        (socket.data as { owner?: Owner }).owner = owner;
        next();
      })
      .catch((error: unknown) => next(error instanceof Error ? error : new Error(String(error))));
  };
}
