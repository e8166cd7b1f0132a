import type { WebhookSecretInfo } from "@darkroom/contracts";
import { Router } from "express";
import type { Redis } from "ioredis";
import { AppError } from "../http/app-error";
import { clientRateLimit } from "../http/client-rate-limit";
import { ownerOf } from "../identity/owner";
import { assertRedisReady } from "../redis/redis-ready";
import type { Notifications } from "./notifications";

export const WEBHOOK_SECRET_PATH = "/api/webhook-secret";

/**
 * The caller's webhook secret: `POST` creates it, or rotates it, and shows it
 * this once; `GET` says whether there is one and since when, never the secret;
 * `DELETE` removes it, and deliveries waiting for it then fail.
 */
export function webhookSecretRoutes(
  { secrets }: Pick<Notifications, "secrets">,
  { redis, redisKeyPrefix }: { redis: Redis; redisKeyPrefix: string },
): Router {
  const router = Router();
  const rotateLimit = clientRateLimit(redis, {
    what: "webhook secrets",
    points: 10,
    windowS: 10 * 60,
    keyPrefix: redisKeyPrefix,
  });

  router.post(WEBHOOK_SECRET_PATH, rotateLimit, async (req, res) => {
    assertRedisReady(redis);
    const owner = ownerOf(req).id;
    const created = await secrets.create(owner);
    req.log.info({ owner, rotated: created.previousValidUntil !== undefined }, "webhook secret created");
    res.status(201).set("Cache-Control", "no-store").json(created);
  });

  router.get(WEBHOOK_SECRET_PATH, async (req, res) => {
    assertRedisReady(redis);
    const info: WebhookSecretInfo | undefined = await secrets.describe(ownerOf(req).id);
    if (!info) throw new AppError("NOT_FOUND", "There is no webhook secret: create one with POST.");
    res.set("Cache-Control", "no-store").json(info);
  });

  router.delete(WEBHOOK_SECRET_PATH, async (req, res) => {
    assertRedisReady(redis);
    if (!(await secrets.remove(ownerOf(req).id)))
      throw new AppError("NOT_FOUND", "There is no webhook secret.");
    res.status(204).end();
  });

  return router;
}
