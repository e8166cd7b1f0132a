import { availableParallelism } from "node:os";
import {
  imagingEnvSchema,
  imagingOptionsFromEnv,
  renderPoolEnvSchema,
  renderPoolOptionsFromEnv,
  type ImagingOptions,
  type RenderPoolOptions,
} from "@darkroom/imaging";
import { queueConfigFromEnv, queueEnvSchema, type QueueConfig } from "@darkroom/queue";
import { logEnvSchema, nodeEnvSchema, refusePlaceholderSecrets } from "@darkroom/runtime";
import { resumableEnvSchema, s3ConfigFromEnv, s3EnvSchema, type S3Config } from "@darkroom/storage";
import { notifyConfigFromEnv, notifyEnvSchema, type NotifyConfig } from "@darkroom/webhooks";
import { z } from "zod";

export const workerEnvSchema = z.object({
  ...queueEnvSchema.shape,
  ...s3EnvSchema.shape,
  ...logEnvSchema.shape,
  ...imagingEnvSchema.shape,
  ...renderPoolEnvSchema.shape,
  ...resumableEnvSchema.shape,
  ...nodeEnvSchema.shape,
  ...notifyEnvSchema.shape,
  /**
   * Jobs run at once. A job waits on S3 for part of its time, so two per core
   * keep the CPU busy (bench/README.md, "Settings the benchmark chose").
   * @defaultValue twice the machine's core count
   */
  WORKER_CONCURRENCY: z.coerce.number().int().positive().optional(),
  /**
   * The worker's CPU priority, as a nice value (0 normal, 19 lowest), for
   * every thread. Resizing is batch work: where it shares cores with the API,
   * the API must win, or accepting uploads slows down behind the very work
   * the queue defers. Nice values weigh each thread, and a worker runs some
   * twenty, so only the lowest priority leaves the API what it needs
   * (bench/README.md, "Settings the benchmark chose"). Alone on its cores, it
   * runs at full speed either way.
   * @defaultValue 19
   */
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(19),
  /**
   * How long a worker's lock on a job lasts; it renews the lock at half this.
   * A job whose lock expires is taken back as stalled. sharp runs off the
   * event loop, so renewals come on time even during a long resize: only a
   * dead or frozen worker loses its locks. @defaultValue 30000
   */
  JOB_LOCK_MS: z.coerce.number().int().positive().default(30_000),
  /** How often each worker looks for jobs whose lock expired. @defaultValue 30000 */
  STALLED_CHECK_MS: z.coerce.number().int().positive().default(30_000),
  /** Where the worker serves /metrics, /healthz and /readyz; 0 picks a free port. @defaultValue 9464 */
  WORKER_OPS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** @defaultValue 127.0.0.1; 0.0.0.0 in a container, for Prometheus and probes */
  WORKER_OPS_HOST: z.string().default("127.0.0.1"),
  /**
   * How often the reconciler looks for originals that have no job and no
   * manifest, and for resumable uploads past their expiry. @defaultValue 300
   */
  RECONCILE_EVERY_S: z.coerce.number().positive().default(300),
  /**
   * How old an original must be before the reconciler counts it orphaned:
   * longer than any upload takes from stored to enqueued, or any sync upload
   * takes to process. @defaultValue 900
   */
  RECONCILE_GRACE_S: z.coerce.number().min(0).default(900),
});

export interface WorkerConfig {
  queue: QueueConfig;
  s3: S3Config;
  logLevel: string;
  concurrency: number;
  lockMs: number;
  stalledCheckMs: number;
  nice: number;
  imaging: ImagingOptions;
  /** The threads that render: one per job the worker runs at once. */
  renderPool: Omit<RenderPoolOptions, "onError">;
  reconcile: { everyMs: number; graceMs: number };
  /** How long after its start a resumable upload is aborted unless finished. */
  resumableExpiryMs: number;
  ops: { host: string; port: number };
  /** Webhooks: where they may go, and how they are retried. */
  notify: NotifyConfig;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const env = workerEnvSchema.parse(source);
  refusePlaceholderSecrets(env);
  const concurrency = env.WORKER_CONCURRENCY ?? 2 * availableParallelism();
  return {
    queue: queueConfigFromEnv(env),
    s3: s3ConfigFromEnv(env),
    logLevel: env.LOG_LEVEL,
    concurrency,
    lockMs: env.JOB_LOCK_MS,
    stalledCheckMs: env.STALLED_CHECK_MS,
    nice: env.WORKER_NICE,
    imaging: imagingOptionsFromEnv(env),
    renderPool: renderPoolOptionsFromEnv(env, concurrency),
    reconcile: { everyMs: env.RECONCILE_EVERY_S * 1000, graceMs: env.RECONCILE_GRACE_S * 1000 },
    resumableExpiryMs: env.RESUMABLE_UPLOAD_EXPIRY_S * 1000,
    ops: { host: env.WORKER_OPS_HOST, port: env.WORKER_OPS_PORT },
    notify: notifyConfigFromEnv(env),
  };
}
