import { benchRunRequestSchema, currentSessionSchema, type BenchRunList } from "@darkroom/contracts";
import type { Logger } from "@darkroom/runtime";
import { StorageUnavailableError } from "@darkroom/storage";
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import basicAuth from "express-basic-auth";
import type { BenchRuns } from "./bench-runs";
import type { RunnerConfig } from "./env";
import { RunnerError } from "./runner-error";

/**
 * The runner's HTTP side: the same `/api/bench/runs` the compare page called
 * on the API before. Anyone on this machine may read the runs; only the
 * admin may start one, which loads the API with hundreds of uploads.
 */
export function createRunnerApp(runs: BenchRuns, config: RunnerConfig, logger: Logger): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use("/api/bench", express.json({ limit: "16kb" }));
  const onlyAdmin = adminOnly(config);

  app.get("/api/bench/runs", async (_req, res) => {
    const list: BenchRunList = { runs: await runs.list() };
    res.set("Cache-Control", "no-store").json(list);
  });

  app.post("/api/bench/runs", onlyAdmin, (req, res) => {
    const request = benchRunRequestSchema.safeParse(req.body);
    if (!request.success) throw new RunnerError("VALIDATION_FAILED", request.error.message);
    res.status(202).json(runs.start(request.data));
  });

  app.use((req) => {
    throw new RunnerError("NOT_FOUND", `No route for ${req.method} ${req.path}`);
  });
  app.use(errorHandler(logger));
  return app;
}

/**
 * The admin, as the API knows them: a browser signed in to the API as an
 * admin account (the API says so of the session its cookie carries), or
 * basic auth with the admin's credentials.
 */
function adminOnly({ admin, apiUrl }: RunnerConfig): RequestHandler {
  const credentials = basicAuth({
    users: admin ? { [admin.user]: admin.password } : {},
    challenge: true,
    realm: "Darkroom admin",
    unauthorizedResponse: () => new RunnerError("ADMIN_REQUIRED").body,
  });
  return async (req, res, next) => {
    const { cookie } = req.headers;
    const session = cookie
      ? await fetch(new URL("/api/sessions/current", apiUrl), { headers: { cookie } })
          .then(async (response) => currentSessionSchema.safeParse(await response.json()).data)
          .catch(() => undefined)
      : undefined;
    if (session?.account?.admin) return next();
    credentials(req, res, next);
  };
}

/** Anything thrown, as `{error: {code, message}}`; unknown errors are logged and hidden. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const known = toRunnerError(error) ?? new RunnerError("INTERNAL");
    if (known.status >= 500) logger.error({ err: error, path: req.path }, "request failed");
    res.status(known.status).json(known.body);
  };
}

function toRunnerError(error: unknown): RunnerError | undefined {
  if (error instanceof RunnerError) return error;
  if (error instanceof StorageUnavailableError) return new RunnerError("STORAGE_UNAVAILABLE");
  // A body express.json refused: not JSON, too large, in an unknown charset.
  if (error instanceof Error && "status" in error && typeof error.status === "number" && error.status < 500) {
    return new RunnerError("VALIDATION_FAILED", error.message);
  }
  return undefined;
}
