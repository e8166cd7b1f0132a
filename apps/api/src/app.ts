import type { Logger } from "@darkroom/runtime";
import express, { type Express } from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import serverTiming from "server-timing";
import { queueDashboardRoutes, type QueueDashboardDeps } from "./admin/queue-dashboard";
import type { AdminCredentials, IdentityOptions } from "./env";
import { healthRoutes, type HealthDeps } from "./health/health.routes";
import { identify, type Identities } from "./identity/identify";
import { oidcSignInRoutes } from "./identity/oidc-sign-in";
import { requireAdmin } from "./identity/require-admin";
import { sessionRoutes } from "./identity/session.routes";
import { jobRoutes, type JobRoutesDeps } from "./jobs/jobs.routes";
import { errorHandler, notFoundHandler } from "./http/error-handler";
import { makeRequestId, requestIdOf } from "./http/request-id";
import { httpMetrics } from "./metrics/http-metrics";
import { WEBHOOK_SECRET_PATH, webhookSecretRoutes } from "./notifications/webhook-secret.routes";
import { metricsRoutes } from "./metrics/metrics.routes";
import { checkPriorityHeader } from "./uploads/priority-class";
import { uploadRoutes, type UploadRoutesDeps } from "./uploads/upload.routes";
import { variantDownloadRoutes } from "./uploads/variant-downloads";

export interface AppDeps extends UploadRoutesDeps, JobRoutesDeps, HealthDeps, QueueDashboardDeps {
  logger: Logger;
  identities: Identities;
  identity: IdentityOptions;
  /** Unset when there is no admin: then nobody may use the admin's routes. */
  admin: AdminCredentials | undefined;
  /** Express's `trust proxy`: whose `X-Forwarded-For` to believe. */
  trustProxy: string | number;
}

/** The HTTP API, without listening: `main.ts` serves it, tests call it on a free port. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.trustProxy);
  // The API answers JSON and images, never a page to run: they may load
  // nothing, and nothing may frame them (the queue dashboard says its own).
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      },
    }),
  );
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: makeRequestId,
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === "/api/healthz" || req.url === "/metrics" },
    }),
  );
  app.use((req, res, next) => {
    res.set("X-Request-Id", requestIdOf(req));
    next();
  });
  app.use(httpMetrics(deps.metrics));
  // `total` on every answer, and the stages an upload route times with `timed`.
  app.use(serverTiming({ precision: 1 }));
  app.use(healthRoutes(deps));
  app.use(metricsRoutes(deps.metrics));
  const owner = identify(deps.identities);
  const admin = requireAdmin(deps.admin, deps.identities.sessions);
  const { oidc, sessionSecret } = deps.identity;
  app.use("/api/uploads", owner, checkPriorityHeader);
  app.use(WEBHOOK_SECRET_PATH, owner);
  app.use(webhookSecretRoutes(deps.notifications, deps));
  app.use(sessionRoutes(deps.identities, owner, { ...deps, signInEnabled: oidc !== undefined }));
  if (oidc) app.use(oidcSignInRoutes(oidc, deps.identities.sessions, sessionSecret));
  app.use(uploadRoutes(deps));
  app.use(variantDownloadRoutes(deps));
  app.use("/api/jobs", admin);
  app.use(jobRoutes(deps));
  app.use(queueDashboardRoutes(deps, admin));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.redis));
  return app;
}
