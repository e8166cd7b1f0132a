import { z } from "zod";

/** The S3 settings every app reads from its environment. Compose it into the app's `env.ts`. */
export const s3EnvSchema = z.object({
  S3_ENDPOINT: z.url().default("http://127.0.0.1:9000"),
  S3_REGION: z.string().default("us-east-1"),
  S3_BUCKET: z.string().min(3).default("darkroom"),
  S3_ACCESS_KEY_ID: z.string().default("minioadmin"),
  S3_SECRET_ACCESS_KEY: z.string().default("minioadmin"),
  /** MinIO and most S3-compatible servers need path-style URLs. */
  S3_FORCE_PATH_STYLE: z.stringbool().default(true),
  /**
   * The endpoint clients outside reach storage at, for the URLs the API signs
   * (direct uploads): the browser may not reach S3 the way the API does.
   * @defaultValue S3_ENDPOINT
   */
  S3_PUBLIC_ENDPOINT: z.url().optional(),
  /** Prepended to every key; lets tests and tenants share one bucket. */
  S3_KEY_PREFIX: z.string().default(""),
});

export interface S3Config {
  endpoint: string;
  /** Where signed URLs point. */
  publicEndpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  keyPrefix: string;
}

export function s3ConfigFromEnv(env: z.infer<typeof s3EnvSchema>): S3Config {
  return {
    endpoint: env.S3_ENDPOINT,
    publicEndpoint: env.S3_PUBLIC_ENDPOINT ?? env.S3_ENDPOINT,
    region: env.S3_REGION,
    bucket: env.S3_BUCKET,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    keyPrefix: env.S3_KEY_PREFIX,
  };
}

/** What the API, which takes resumable uploads, and the worker, which expires them, agree on. */
export const resumableEnvSchema = z.object({
  /**
   * How long after its start a resumable upload may still be resumed. Past
   * this, the API answers 410, and the worker aborts its S3 multipart upload
   * and deletes what it stored. @defaultValue 86400 (a day)
   */
  RESUMABLE_UPLOAD_EXPIRY_S: z.coerce.number().int().positive().default(86_400),
});
