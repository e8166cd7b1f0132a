import { createBullBoard } from "@bull-board/api";
import { ExpressAdapter } from "@bull-board/express";
import type { QueueConfig } from "@darkroom/queue";
import { photoQueueDashboardAdapter } from "@darkroom/queue/dashboard";
import { Router, type RequestHandler } from "express";
import type { Redis } from "ioredis";

export const QUEUE_DASHBOARD_PATH = "/admin/queues";

export interface QueueDashboardDeps {
  queueConfig: QueueConfig;
  redis: Redis;
}

/** bull-board on the photo queue: it can retry and delete any job, so only the admin gets in. */
export function queueDashboardRoutes(
  { queueConfig, redis }: QueueDashboardDeps,
  admin: RequestHandler,
): Router {
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: [photoQueueDashboardAdapter(queueConfig, redis)], serverAdapter: board });
  return Router().use(QUEUE_DASHBOARD_PATH, admin, board.getRouter() as Router);
}
