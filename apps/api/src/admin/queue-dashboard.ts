import { createBullBoard } from "@bull-board/api";
import { ExpressAdapter } from "@bull-board/express";
import type { QueueConfig } from "@darkroom/queue";
import { photoQueueDashboardAdapter } from "@darkroom/queue/dashboard";
import { Router } from "express";
import basicAuth from "express-basic-auth";
import type { Redis } from "ioredis";

export const QUEUE_DASHBOARD_PATH = "/admin/queues";

export interface QueueDashboardDeps {
  queueConfig: QueueConfig;
  redis: Redis;
  /** Undefined switches the dashboard off: it can retry and delete jobs. */
  queueDashboard: { user: string; password: string } | undefined;
}

/** bull-board on the photo queue, behind basic auth; nothing at all without credentials. */
export function queueDashboardRoutes({ queueConfig, redis, queueDashboard }: QueueDashboardDeps): Router {
  const router = Router();
  if (!queueDashboard) return router;
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: [photoQueueDashboardAdapter(queueConfig, redis)], serverAdapter: board });
  router.use(
    QUEUE_DASHBOARD_PATH,
    basicAuth({
      users: { [queueDashboard.user]: queueDashboard.password },
      challenge: true,
      realm: "Darkroom queue dashboard",
    }),
    board.getRouter() as Router,
  );
  return router;
}
