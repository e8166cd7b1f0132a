import { logEnvSchema } from "@darkroom/runtime";
import { s3ConfigFromEnv, s3EnvSchema, type S3Config } from "@darkroom/storage";
import { z } from "zod";

export const runnerEnvSchema = z.object({
  ...s3EnvSchema.shape,
  ...logEnvSchema.shape,
  /** The runner listens on 127.0.0.1 only: whoever reaches it can load the API. @defaultValue 3100 */
  BENCH_RUNNER_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  /** The API that runs load; the web dev server reads the same variable. @defaultValue http://127.0.0.1:3000 */
  API_URL: z.url().default("http://127.0.0.1:3000"),
  /** The admin, as the API's: only they may start a run. Without both, nobody may. */
  ADMIN_USER: z.string().optional(),
  ADMIN_PASSWORD: z.string().optional(),
});

export interface RunnerConfig {
  port: number;
  apiUrl: string;
  /** The API's object storage: runs are kept there, and the run's raw S3 PUT baseline measures it. */
  s3: S3Config;
  logLevel: string;
  admin: { user: string; password: string } | undefined;
}

export function loadRunnerConfig(source: NodeJS.ProcessEnv = process.env): RunnerConfig {
  const env = runnerEnvSchema.parse(source);
  return {
    port: env.BENCH_RUNNER_PORT,
    apiUrl: env.API_URL,
    s3: s3ConfigFromEnv(env),
    logLevel: env.LOG_LEVEL,
    admin:
      env.ADMIN_USER && env.ADMIN_PASSWORD
        ? { user: env.ADMIN_USER, password: env.ADMIN_PASSWORD }
        : undefined,
  };
}
