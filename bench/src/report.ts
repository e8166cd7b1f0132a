import { z } from "zod";

const distributionSchema = z.object({
  count: z.number().int(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
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
  /** Results per second while the batch drained: the processing rate. */
  drainPerSecond: z.number(),
  api: z.object({ peakRssBytes: z.number(), eventLoopLagP99Ms: z.number() }),
});
export type ModeResult = z.infer<typeof modeResultSchema>;

export const benchReportSchema = z.object({
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  preset: z.string(),
  workload: z.object({
    count: z.number().int(),
    concurrency: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    timeoutMs: z.number().int(),
    workers: z.number().int(),
    workerParallelism: z.number().int(),
    photoBytes: z.number().int(),
  }),
  machine: z.object({ cpus: z.number().int(), node: z.string(), platform: z.string() }),
  modes: z.object({ queued: modeResultSchema, sync: modeResultSchema }),
  baselines: z.object({ imaging: throughputSchema, s3Put: throughputSchema }),
  ratios: z.object({
    syncP95OverQueuedP95: z.number(),
    queuedAcceptOverS3Put: z.number(),
    workerDrainOverImaging: z.number(),
  }),
});
export type BenchReport = z.infer<typeof benchReportSchema>;
