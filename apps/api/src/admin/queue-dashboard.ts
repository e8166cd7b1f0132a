import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { PhotoQueue } from "@darkroom/queue";
import { Router } from "express";
import basicAuth from "express-basic-auth";

export const QUEUE_DASHBOARD_PATH = "/admin/queues";

export interface QueueDashboardDeps {
  queue: PhotoQueue;
  /** Undefined switches the dashboard off: it can retry and delete jobs. */
  queueDashboard: { user: string; password: string } | undefined;
}

/** bull-board on the photo queue, behind basic auth; nothing at all without credentials. */
export function queueDashboardRoutes({ queue, queueDashboard }: QueueDashboardDeps): Router {
  const router = Router();
  if (!queueDashboard) return router;
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: [new BullMQAdapter(queue)], serverAdapter: board });
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
