import type { ObjectStorage } from "@darkroom/storage";
import { Router } from "express";
import type { Redis } from "ioredis";

export interface HealthDeps {
  redis: Redis;
  storage: ObjectStorage;
}

const CHECK_TIMEOUT_MS = 2_000;

export function healthRoutes({ redis, storage }: HealthDeps): Router {
  const router = Router();

  /** Liveness: the process answers. Never checks dependencies, so an outage does not restart every pod. */
  router.get("/api/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  /** Readiness: Redis and S3 both answer, so this instance can take uploads. */
  router.get("/api/readyz", async (_req, res) => {
    const [redisCheck, s3Check] = await Promise.all([
      check(async () => void (await redis.ping())),
      check(() => storage.ping()),
    ]);
    const checks = { redis: redisCheck, s3: s3Check };
    if (redisCheck === "ok" && s3Check === "ok") {
      res.json({ status: "ready", checks });
      return;
    }
    res.status(503).json({
      error: { code: "NOT_READY", message: `Not ready: redis ${redisCheck}, s3 ${s3Check}.` },
      checks,
    });
  });

  return router;
}

async function check(probe: () => Promise<void>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve("timeout"), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe().then(() => "ok"), timeout]);
  } catch {
    // The reason stays out of a public answer: it names internal hosts.
    return "unreachable";
  } finally {
    clearTimeout(timer);
  }
}
