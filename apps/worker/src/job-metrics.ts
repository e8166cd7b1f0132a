import type { JobProgress } from "@darkroom/contracts";
import { Counter, Histogram, type Registry } from "prom-client";

/** How a job attempt ended: `retried` will be tried again, `failed` will not. */
export type JobOutcome = "completed" | "retried" | "failed";

export interface JobTimer {
  /** The job has reached the stage `progress` reports, which ends the stage before. */
  reached(progress: JobProgress): void;
  /** Ends the last stage and records the attempt, with its error code unless it completed. */
  finished(outcome: JobOutcome, code?: string): void;
}

export interface JobMetrics {
  /** Starts timing one job attempt. */
  start(): JobTimer;
}

/** A stage as dashboards show it: each step of the pipeline, each variant its own. */
function stageOf({ stage, variant }: JobProgress): string {
  switch (stage) {
    case "downloading":
      return "download";
    case "decoding":
      return "decode";
    case "resizing":
      return `resize_${variant ?? "unknown"}`;
    case "storing":
      return "store";
    case "queued":
    case "completed":
    case "failed":
      return stage;
  }
}

export function createJobMetrics(registry: Registry): JobMetrics {
  const stageDuration = new Histogram({
    name: "darkroom_job_stage_duration_seconds",
    help: "Time each job spends in each stage: download, decode, resize_{variant}, store.",
    labelNames: ["stage"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: "darkroom_job_duration_seconds",
    help: "Time of each job attempt, from taken to finished, by outcome.",
    labelNames: ["outcome"],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const attempts = new Counter({
    name: "darkroom_jobs_total",
    help: "Job attempts by outcome, with the error code of those that did not complete.",
    labelNames: ["outcome", "code"],
    registers: [registry],
  });

  return {
    start() {
      const endJob = jobDuration.startTimer();
      let endStage: (() => number) | undefined;
      return {
        reached(progress) {
          endStage?.();
          endStage = stageDuration.startTimer({ stage: stageOf(progress) });
        },
        finished(outcome, code = "") {
          endStage?.();
          endStage = undefined;
          endJob({ outcome });
          attempts.inc({ outcome, code });
        },
      };
    },
  };
}
