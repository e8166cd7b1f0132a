import type { PhotoQueue } from "@darkroom/queue";
import type { ObjectStorage } from "@darkroom/storage";
import { Router } from "express";

export interface HealthDeps {
  queue: PhotoQueue;
  storage: ObjectStorage;
}

const CHECK_TIMEOUT_MS = 2_000;

export function healthRoutes({ queue, storage }: HealthDeps): Router {
  const router = Router();

  /** Liveness: the process answers. Never checks dependencies, so an outage does not restart every pod. */
  router.get("/api/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  /** Readiness: Redis and S3 both answer, so this instance can take uploads. */
  router.get("/api/readyz", async (_req, res) => {
    const [redis, s3] = await Promise.all([
      check(async () => void (await queue.getJobCounts("waiting"))),
      check(() => storage.ping()),
    ]);
    const checks = { redis, s3 };
    if (redis === "ok" && s3 === "ok") {
      res.json({ status: "ready", checks });
      return;
    }
    res.status(503).json({
      error: { code: "NOT_READY", message: `Not ready: redis ${redis}, s3 ${s3}.` },
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
  } catch (error) {
    return error instanceof Error ? error.message : "failed";
  } finally {
    clearTimeout(timer);
  }
}
