import { availableParallelism } from "node:os";
import { imagingEnvSchema, imagingOptionsFromEnv, type ImagingOptions } from "@darkroom/imaging";
import { queueConfigFromEnv, queueEnvSchema, type QueueConfig } from "@darkroom/queue";
import { logEnvSchema } from "@darkroom/runtime";
import { s3ConfigFromEnv, s3EnvSchema, type S3Config } from "@darkroom/storage";
import { z } from "zod";

const workerEnvSchema = z.object({
  ...queueEnvSchema.shape,
  ...s3EnvSchema.shape,
  ...logEnvSchema.shape,
  ...imagingEnvSchema.shape,
  /**
   * Jobs run at once. Each job keeps about one core busy (sharp's work runs on
   * libuv's pool of 4 threads), so one per core keeps the CPU full without
   * making each job slower. @defaultValue the machine's core count
   */
  WORKER_CONCURRENCY: z.coerce.number().int().positive().optional(),
});

export interface WorkerConfig {
  queue: QueueConfig;
  s3: S3Config;
  logLevel: string;
  concurrency: number;
  imaging: ImagingOptions;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const env = workerEnvSchema.parse(source);
  return {
    queue: queueConfigFromEnv(env),
    s3: s3ConfigFromEnv(env),
    logLevel: env.LOG_LEVEL,
    concurrency: env.WORKER_CONCURRENCY ?? availableParallelism(),
    imaging: imagingOptionsFromEnv(env),
  };
}
