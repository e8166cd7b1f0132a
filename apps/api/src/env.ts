import { availableParallelism, tmpdir } from "node:os";
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
import type { SyncLimits } from "./uploads/sync-admission";

export const apiEnvSchema = z.object({
  ...queueEnvSchema.shape,
  ...s3EnvSchema.shape,
  ...logEnvSchema.shape,
  ...imagingEnvSchema.shape,
  ...renderPoolEnvSchema.shape,
  ...resumableEnvSchema.shape,
  ...nodeEnvSchema.shape,
  ...notifyEnvSchema.shape,
  /** @defaultValue "127.0.0.1"; use 0.0.0.0 in a container */
  HOST: z.string().default("127.0.0.1"),
  /** @defaultValue 3000 */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Largest accepted file, in bytes. @defaultValue 52428800 (50 MiB) */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024),
  /** Upload bodies (multipart or tus PATCH) read and stored at once; more wait unread, holding only their connection. @defaultValue 32 */
  UPLOAD_CONCURRENCY: z.coerce.number().int().positive().default(32),
  /**
   * Uploads one client may send through the API at once (queued, sync and
   * resumable; across all API instances), so that no client takes every
   * receive slot; 0 switches the cap off. @defaultValue 8
   */
  UPLOAD_CONCURRENCY_PER_CLIENT: z.coerce.number().int().min(0).default(8),
  /**
   * An upload body that brings less than 1 KiB in this many seconds, while
   * the API is ready to read it, has its connection closed: a client that
   * stopped, or trickles bytes to hold a slot. @defaultValue 10
   */
  UPLOAD_IDLE_TIMEOUT_S: z.coerce.number().positive().default(10),
  /** Uploads one client may send per window, across all API instances; 0 switches the limit off. @defaultValue 600 */
  UPLOAD_RATE_LIMIT: z.coerce.number().int().min(0).default(600),
  /** @defaultValue 60 */
  UPLOAD_RATE_WINDOW_S: z.coerce.number().int().positive().default(60),
  /**
   * Reads of uploads (status and listing) one client may make per
   * minute, across all API instances; each costs Redis and S3 reads. 0
   * switches the limit off. @defaultValue 1200
   */
  READ_RATE_LIMIT: z.coerce.number().int().min(0).default(1200),
  /**
   * How long a signed direct upload's URL may be used; completing it may take
   * as long again. Keep twice this under the worker's RECONCILE_GRACE_S, or the
   * reconciler may take an upload not yet completed for an orphan.
   * @defaultValue 300
   */
  DIRECT_UPLOAD_EXPIRY_S: z.coerce.number().int().positive().default(300),
  /**
   * How long the presigned URL of a variant (in a snapshot) may be used, in
   * seconds. A URL handed out has at least half of it left, and browsers cache
   * the image for that half. At most a week, as SigV4 allows. @defaultValue 3600
   */
  VARIANT_URL_EXPIRY_S: z.coerce
    .number()
    .int()
    .min(2)
    .max(7 * 24 * 3600)
    .default(3600),
  /** Jobs waiting in the queue beyond which queued uploads get 503 QUEUE_FULL. @defaultValue 10000 */
  QUEUE_MAX_WAITING: z.coerce.number().int().positive().default(10_000),
  /** Sync uploads admitted at once, received, waiting or processed; more get 503 SYNC_SATURATED. @defaultValue 64 */
  SYNC_MAX_IN_FLIGHT: z.coerce.number().int().positive().default(64),
  /** Sync uploads processed at once. @defaultValue the number of cores */
  SYNC_CONCURRENCY: z.coerce.number().int().positive().optional(),
  /** Where uploads are held on their way to S3; needs room for the uploads in flight. @defaultValue the OS temp dir */
  UPLOAD_SPOOL_DIR: z.string().min(1).optional(),
  /**
   * Which proxies in front may say who the client is (`X-Forwarded-For`), in
   * Express's terms: addresses or subnets (`loopback`, `uniquelocal`,
   * `10.0.0.0/8`), or a number of hops. The per-client rate limit counts by
   * the address this yields. Behind nginx in Docker, `uniquelocal`.
   * @defaultValue loopback
   */
  TRUST_PROXY: z
    .string()
    .min(1)
    .default("loopback")
    .transform((value) => (/^\d+$/.test(value) ? Number(value) : value)),
  /**
   * Signs browser sessions (32 characters or more; \`openssl rand -base64 48\`).
   * Required in production; elsewhere a fixed development secret stands in.
   */
  SESSION_SECRET: unsetWhenEmpty(z.string().min(32, "use a secret of 32 characters or more").optional()),
  /** How long an API token from POST /api/sessions lasts, in seconds. @defaultValue 2592000 (30 days) */
  API_TOKEN_TTL_S: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3600),
  /**
   * The admin's basic-auth credentials, for the queue's jobs (`/api/jobs/*`) and
   * its dashboard (`/admin/queues`), which can retry and delete any upload.
   * Without both, there is no admin, and those routes answer 401.
   */
  ADMIN_USER: unsetWhenEmpty(z.string().optional()),
  ADMIN_PASSWORD: unsetWhenEmpty(z.string().min(12, "use a password of 12 characters or more").optional()),
  /**
   * An OpenID Connect provider people sign in with (its issuer URL; https, or
   * http on a loopback address for development). Unset: browsers are
   * anonymous owners only. Set: a signed-in account owns its uploads on
   * every device, and the next four settings are required too.
   */
  OIDC_ISSUER: unsetWhenEmpty(z.url().optional()),
  /** This application's client at the provider. */
  OIDC_CLIENT_ID: unsetWhenEmpty(z.string().optional()),
  OIDC_CLIENT_SECRET: unsetWhenEmpty(z.string().optional()),
  /** Where the provider sends people back: the public URL of `/api/auth/callback`, as registered at the provider. */
  OIDC_REDIRECT_URI: unsetWhenEmpty(z.url().optional()),
  /** @defaultValue "openid profile" */
  OIDC_SCOPE: z.string().default("openid profile"),
  /**
   * Accounts whose claim `OIDC_ADMIN_CLAIM` equals, or as a list holds,
   * `OIDC_ADMIN_VALUE` are admins. Without a value, no account is.
   * @defaultValue "groups"
   */
  OIDC_ADMIN_CLAIM: z.string().default("groups"),
  OIDC_ADMIN_VALUE: unsetWhenEmpty(z.string().optional()),
});

/** An empty value means unset, as `NAME=` in an env file or `${NAME:-}` in compose gives it. */
function unsetWhenEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === "" ? undefined : value), schema);
}

/** Known to everyone who reads this file: never accepted in production. */
const DEVELOPMENT_SESSION_SECRET = "darkroom-development-session-secret-not-for-production";

export interface ApiConfig {
  host: string;
  port: number;
  logLevel: string;
  queue: QueueConfig;
  s3: S3Config;
  uploads: UploadOptions;
  imaging: ImagingOptions;
  /** The threads that render sync uploads: one per upload processed at once. */
  renderPool: Omit<RenderPoolOptions, "onError">;
  /** Unset when there is no admin. */
  admin: AdminCredentials | undefined;
  trustProxy: string | number;
  identity: IdentityOptions;
  /** Webhooks: which destinations an upload may name. */
  notify: NotifyConfig;
}

export interface AdminCredentials {
  user: string;
  password: string;
}

export interface IdentityOptions {
  sessionSecret: string;
  apiTokenTtlS: number;
  /** Unset when the deployment has no sign-in. */
  oidc: OidcOptions | undefined;
}

export interface OidcOptions {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  redirectUri: URL;
  scope: string;
  admin: { claim: string; value: string | undefined };
}

export interface UploadOptions {
  maxBytes: number;
  /** Uploads received at once. */
  concurrency: number;
  /** Uploads one client sends at once; 0: no cap. */
  concurrencyPerClient: number;
  /** A body that brings less than 1 KiB in this long is closed. */
  idleTimeoutMs: number;
  spoolDir: string;
  rateLimit: { points: number; windowS: number };
  /** Reads of uploads per client per minute; 0: no limit. */
  readsPerMinute: number;
  maxWaitingJobs: number;
  sync: SyncLimits;
  /** How long a signed direct upload's URL lives, in seconds. */
  directExpiryS: number;
  /** How long a variant's presigned URL lives, in seconds. */
  variantUrlExpiryS: number;
  /** How long a resumable upload may wait for its next part, in seconds. */
  resumableExpiryS: number;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): ApiConfig {
  const env = apiEnvSchema.parse(source);
  if (env.NODE_ENV === "production" && !env.SESSION_SECRET)
    throw new Error("Set SESSION_SECRET: it signs browser sessions, and production has no default.");
  refusePlaceholderSecrets(env, [DEVELOPMENT_SESSION_SECRET]);
  const syncConcurrency = env.SYNC_CONCURRENCY ?? availableParallelism();
  return {
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    queue: queueConfigFromEnv(env),
    s3: s3ConfigFromEnv(env),
    uploads: {
      maxBytes: env.UPLOAD_MAX_BYTES,
      concurrency: env.UPLOAD_CONCURRENCY,
      concurrencyPerClient: env.UPLOAD_CONCURRENCY_PER_CLIENT,
      idleTimeoutMs: env.UPLOAD_IDLE_TIMEOUT_S * 1000,
      rateLimit: { points: env.UPLOAD_RATE_LIMIT, windowS: env.UPLOAD_RATE_WINDOW_S },
      readsPerMinute: env.READ_RATE_LIMIT,
      maxWaitingJobs: env.QUEUE_MAX_WAITING,
      directExpiryS: env.DIRECT_UPLOAD_EXPIRY_S,
      variantUrlExpiryS: env.VARIANT_URL_EXPIRY_S,
      resumableExpiryS: env.RESUMABLE_UPLOAD_EXPIRY_S,
      sync: {
        maxInFlight: env.SYNC_MAX_IN_FLIGHT,
        concurrency: syncConcurrency,
      },
      spoolDir: env.UPLOAD_SPOOL_DIR ?? tmpdir(),
    },
    imaging: imagingOptionsFromEnv(env),
    renderPool: renderPoolOptionsFromEnv(env, syncConcurrency),
    trustProxy: env.TRUST_PROXY,
    identity: {
      sessionSecret: env.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET,
      apiTokenTtlS: env.API_TOKEN_TTL_S,
      oidc: oidcOptions(env),
    },
    notify: notifyConfigFromEnv(env),
    admin:
      env.ADMIN_USER && env.ADMIN_PASSWORD
        ? { user: env.ADMIN_USER, password: env.ADMIN_PASSWORD }
        : undefined,
  };
}

function oidcOptions(env: z.infer<typeof apiEnvSchema>): OidcOptions | undefined {
  if (!env.OIDC_ISSUER) return undefined;
  const { OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret, OIDC_REDIRECT_URI: redirectUri } = env;
  if (!clientId || !clientSecret || !redirectUri)
    throw new Error("OIDC_ISSUER needs OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URI too.");
  const issuer = new URL(env.OIDC_ISSUER);
  if (issuer.protocol !== "https:" && !LOOPBACK_HOSTS.has(issuer.hostname))
    throw new Error("OIDC_ISSUER must be https (http only on a loopback address, for development).");
  return {
    issuer,
    clientId,
    clientSecret,
    redirectUri: new URL(redirectUri),
    scope: env.OIDC_SCOPE,
    admin: { claim: env.OIDC_ADMIN_CLAIM, value: env.OIDC_ADMIN_VALUE },
  };
}

export const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
