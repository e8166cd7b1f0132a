import type { RequestHandler } from "express";
import { Histogram, type Registry } from "prom-client";

/** The upload mode a request asks for, so that dashboards can set the modes side by side. */
const MODES: Record<string, string> = {
  "POST /api/uploads": "queued",
  "POST /api/uploads/sync": "sync",
  "POST /api/uploads/direct": "direct",
  "POST /api/uploads/:id/complete": "direct",
  "POST /api/uploads/tus": "resumable",
  "PATCH /api/uploads/tus/:id": "resumable",
  "HEAD /api/uploads/tus/:id": "resumable",
};

/**
 * Times every request, labelled by route pattern (never the raw path, whose
 * ids would make a series per upload), method, status and upload mode.
 */
export function httpMetrics(registry: Registry): RequestHandler {
  const duration = new Histogram({
    name: "darkroom_http_request_duration_seconds",
    help: "Time from a request's arrival to the end of its answer.",
    labelNames: ["method", "route", "status_code", "mode"],
    // From a fast 503 to a sync upload of a large photo on a busy machine.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  return (req, res, next) => {
    const end = duration.startTimer();
    res.once("finish", () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? "unmatched";
      end({
        method: req.method,
        route,
        status_code: res.statusCode,
        mode: MODES[`${req.method} ${route}`] ?? "none",
      });
    });
    next();
  };
}
