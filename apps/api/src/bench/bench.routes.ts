import { benchRunRequestSchema } from "@darkroom/contracts";
import express, { Router } from "express";
import { AppError } from "../http/app-error";
import type { BenchRuns } from "./bench-runs";

export function benchRoutes(runs: BenchRuns): Router {
  const router = Router();
  router.use("/api/bench", express.json({ limit: "16kb" }));

  router.get("/api/bench/runs", async (_req, res) => {
    res.set("Cache-Control", "no-store").json({ enabled: runs.enabled, runs: await runs.list() });
  });

  router.post("/api/bench/runs", (req, res) => {
    const request = benchRunRequestSchema.safeParse(req.body);
    if (!request.success) throw new AppError("VALIDATION_FAILED", request.error.message);
    res.status(202).json(runs.start(request.data));
  });

  return router;
}
