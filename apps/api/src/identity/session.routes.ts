import type { ApiSession, CurrentSession } from "@darkroom/contracts";
import { Router, type RequestHandler } from "express";
import type { Redis } from "ioredis";
import { clientRateLimit } from "../http/client-rate-limit";
import { bearerToken, type Identities } from "./identify";
import { SIGN_IN_URL } from "./oidc-sign-in";
import { ownerOf } from "./owner";

/**
 * API tokens: `POST /api/sessions` mints one for the caller's owner (a new
 * owner when the call carries no credentials), `GET /api/sessions/current`
 * says who the caller is, `DELETE /api/sessions/current` revokes the token
 * it carries, or ends the browser session.
 */
export function sessionRoutes(
  identities: Identities,
  identify: RequestHandler,
  { redis, redisKeyPrefix, signInEnabled }: { redis: Redis; redisKeyPrefix: string; signInEnabled: boolean },
): Router {
  const router = Router();
  // Each token is kept in Redis for weeks: an API client takes one per run, not thousands.
  const mintLimit = clientRateLimit(redis, {
    what: "API tokens",
    points: 20,
    windowS: 10 * 60,
    keyPrefix: redisKeyPrefix,
  });

  router.post("/api/sessions", mintLimit, identify, async (req, res) => {
    const owner = ownerOf(req).id;
    const { token, expiresAt } = await identities.tokens.mint(owner);
    const body: ApiSession = { token, owner, expiresAt: expiresAt.toISOString() };
    req.log.info({ owner }, "API token minted");
    res.status(201).set("Cache-Control", "no-store").json(body);
  });

  // A browser calls it first, so that its session exists before calls it makes at once.
  router.get("/api/sessions/current", identify, (req, res) => {
    const { id, account } = ownerOf(req);
    const body: CurrentSession = {
      owner: id,
      ...(account ? { account } : signInEnabled && { signInUrl: SIGN_IN_URL }),
    };
    res.set("Cache-Control", "no-store").json(body);
  });

  router.delete("/api/sessions/current", async (req, res) => {
    const bearer = bearerToken(req.headers.authorization);
    if (bearer) await identities.tokens.revoke(bearer);
    else identities.sessions.end(res);
    res.status(204).end();
  });

  return router;
}
