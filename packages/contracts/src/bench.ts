import { z } from "zod";
import { encoderComparisonSchema } from "./bench-encoders";

/** A statistic of no samples is NaN, which JSON writes as null: a mode whose uploads were all refused has no results. */
const statisticSchema = z.union([z.number(), z.null().transform(() => Number.NaN)]);

const distributionSchema = z.object({
  count: z.number().int(),
  p50: statisticSchema,
  p95: statisticSchema,
  p99: statisticSchema,
  max: statisticSchema,
});

const throughputSchema = z.object({
  operations: z.number().int(),
  concurrency: z.number().int(),
  seconds: z.number(),
  perSecond: z.number(),
});

export const modeResultSchema = z.object({
  /** Time to HTTP response, ms. */
  response: distributionSchema,
  /** Each request's time to response, ms, in the order sent: the chart's data. */
  responseTimesMs: z.array(z.number()),
  acceptedPerSecond: z.number(),
  accepted: z.number().int(),
  failures: z.object({
    /** Answers other than 2xx, by status code. */
    byStatus: z.record(z.string(), z.number().int()),
    timeout: z.number().int(),
    connection: z.number().int(),
    /** Accepted uploads whose job failed or never finished. */
    processing: z.number().int(),
    total: z.number().int(),
  }),
  /** Time until the client knows the variants exist, ms: the response for sync, the socket event for queued. */
  timeToResult: distributionSchema,
  /** From the first request to the last result. */
  drainSeconds: z.number(),
  /**
   * Results per second: for queued, from the last acceptance to the last result,
   * when the workers have the machine to themselves; for sync, over the batch.
   */
  drainPerSecond: z.number(),
  api: z.object({ peakRssBytes: z.number(), eventLoopLagP99Ms: z.number() }),
  /**
   * How far off the API's ETA was, for modes that answer before processing.
   * Each upload's ETA is the one in the snapshot the client got when it
   * started following it; the error is |predicted − actual| ÷ actual, actual
   * being the time from that snapshot to the end reaching the client.
   * `predictions` counts uploads whose snapshot had an ETA, and `tooLong`
   * is the share of them that said longer than it took (reports made before
   * 2026-12-01 lack it). Reports made before ETAs have none.
   */
  eta: z
    .object({
      predictions: z.number().int(),
      errorP50: statisticSchema,
      errorP90: statisticSchema,
      tooLong: statisticSchema.optional(),
    })
    .optional(),
  /**
   * Direct mode only. `response` is the API's share, signing plus completing;
   * these are each call apart, the client's whole time with its PUT to S3, and
   * what completing asks of S3 (a ranged GET), timed on S3 alone while the
   * uploads are being sent.
   */
  direct: z
    .object({
      sign: distributionSchema,
      complete: distributionSchema,
      clientTotal: distributionSchema,
      storageCheck: distributionSchema.optional(),
      /** Signing and completing as the API timed them (`Server-Timing`): without the client's or the network's share. */
      signInApi: distributionSchema.optional(),
      completeInApi: distributionSchema.optional(),
      /** Of completing, the API's own check of the stored object in S3. */
      checkInApi: distributionSchema.optional(),
    })
    .optional(),
});
export type ModeResult = z.infer<typeof modeResultSchema>;

export const workloadSchema = z.object({
  /** Uploads per mode. */
  count: z.number().int().positive(),
  /** Requests in flight at once. */
  concurrency: z.number().int().positive(),
  /** Photo size in pixels. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** The client gives up on a request after this long, as a browser or proxy would. */
  timeoutMs: z.number().int().positive(),
  /** Worker processes, each running one job per core. */
  workers: z.number().int().positive(),
});
export type Workload = z.infer<typeof workloadSchema>;

export const BENCH_PRESETS = {
  /** Seconds: proves the harness end to end. */
  smoke: { count: 6, concurrency: 3, width: 1200, height: 800, timeoutMs: 60_000, workers: 1 },
  /** A few minutes: a realistic burst at 50 concurrent. */
  default: { count: 300, concurrency: 50, width: 3000, height: 2000, timeoutMs: 120_000, workers: 1 },
  /** The headline: 1,000 uploads at once, against a 60 s client timeout (URLSession's default on iOS). */
  "seed-1k": { count: 1000, concurrency: 1000, width: 2400, height: 1600, timeoutMs: 60_000, workers: 1 },
} as const satisfies Record<string, Workload>;

export const benchPresetSchema = z.enum(["smoke", "default", "seed-1k"]);
export type BenchPreset = z.infer<typeof benchPresetSchema>;

export const benchModeSchema = z.enum(["sync", "queued", "direct", "resumable"]);
export type BenchMode = z.infer<typeof benchModeSchema>;

/** What a run reports as it goes; the compare page draws these live. */
export type BenchEvent =
  | { type: "phase"; phase: "photos" | "baselines" | "warm-up" | BenchMode | "done"; message: string }
  | {
      type: "response";
      mode: BenchMode;
      index: number;
      ms: number;
      outcome: "ok" | "status" | "timeout" | "connection";
      status?: number;
    }
  | { type: "result"; mode: BenchMode; index: number; ms: number }
  | { type: "depth"; mode: BenchMode; at: number; inFlight: number };

export const benchReportSchema = z.object({
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  preset: z.string(),
  workload: workloadSchema.extend({
    workerParallelism: z.number().int(),
    photoBytes: z.number().int(),
    /** What the photos were sent as; reports made before HEIC runs have none: JPEG. */
    photoFormat: z.enum(["jpeg", "heic"]).optional(),
  }),
  machine: z.object({ cpus: z.number().int(), node: z.string(), platform: z.string() }),
  /** `direct` and `resumable` are absent from reports made before they existed. */
  modes: z.object({
    sync: modeResultSchema,
    queued: modeResultSchema,
    direct: modeResultSchema.optional(),
    resumable: modeResultSchema.optional(),
  }),
  baselines: z.object({
    imaging: throughputSchema,
    /** The same photos on a render pool, as the apps render them; reports made before it have none. */
    imagingIsolated: throughputSchema.optional(),
    s3Put: throughputSchema,
    /** Reports made before encoder settings were compared have none. */
    encoders: encoderComparisonSchema.optional(),
  }),
  ratios: z.object({
    syncP95OverQueuedP95: z.number(),
    queuedAcceptOverS3Put: z.number(),
    workerDrainOverImaging: z.number(),
    /** Raw imaging on a render pool ÷ in this process, measured in alternating rounds: what isolation costs. */
    imagingIsolatedOverInProcess: z.number().optional(),
    directAcceptOverS3Put: z.number().optional(),
    resumableAcceptOverS3Put: z.number().optional(),
  }),
});
export type BenchReport = z.infer<typeof benchReportSchema>;

/**
 * `POST /api/bench/runs` of the benchmark runner, a development tool that
 * `pnpm dev` starts beside the API: a preset, with any of its settings changed.
 * The API has no such route, so a deployment answers `404 NOT_FOUND`.
 */
export const benchRunRequestSchema = z.object({
  preset: benchPresetSchema,
  count: z.number().int().min(1).max(2_000).optional(),
  concurrency: z.number().int().min(1).max(2_000).optional(),
  width: z.number().int().min(64).max(8_000).optional(),
  height: z.number().int().min(64).max(8_000).optional(),
});
export type BenchRunRequest = z.infer<typeof benchRunRequestSchema>;

export const benchRunSchema = z.object({
  id: z.uuid(),
  preset: benchPresetSchema,
  workload: workloadSchema,
  status: z.enum(["running", "completed", "failed"]),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().optional(),
  error: z.string().optional(),
  report: benchReportSchema.optional(),
});
export type BenchRun = z.infer<typeof benchRunSchema>;

/** `GET /api/bench/runs` of the benchmark runner: the run going on, if any, then past runs, newest first. */
export const benchRunListSchema = z.object({ runs: z.array(benchRunSchema) });
export type BenchRunList = z.infer<typeof benchRunListSchema>;
