import { createBullBoard } from "@bull-board/api";
import { ExpressAdapter } from "@bull-board/express";
import type { QueueConfig } from "@darkroom/queue";
import { notifyQueueDashboardAdapter, photoQueueDashboardAdapter } from "@darkroom/queue/dashboard";
import { Router, type RequestHandler } from "express";
import helmet from "helmet";
import type { Redis } from "ioredis";

export const QUEUE_DASHBOARD_PATH = "/admin/queues";

export interface QueueDashboardDeps {
  queueConfig: QueueConfig;
  redis: Redis;
}

/** bull-board on the photo and webhook queues: it can retry and delete any job, so only the admin gets in. */
export function queueDashboardRoutes(
  { queueConfig, redis }: QueueDashboardDeps,
  admin: RequestHandler,
): Router {
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: [photoQueueDashboardAdapter(queueConfig, redis), notifyQueueDashboardAdapter(queueConfig, redis)],
    serverAdapter: board,
  });
  // bull-board's page styles itself inline and with Google's fonts.
  const dashboardPolicy = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'", "https://fonts.googleapis.com"],
      fontSrc: ["https://fonts.gstatic.com"],
      imgSrc: ["'self'", "data:"],
      frameAncestors: ["'none'"],
    },
  });
  return Router().use(QUEUE_DASHBOARD_PATH, admin, dashboardPolicy, board.getRouter() as Router);
}
