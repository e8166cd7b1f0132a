import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedisServer, type RedisServer } from "./redis-server";
import { startS3Server, type S3Server } from "./s3-server-process";

export interface DevstackOptions {
  /** @defaultValue "darkroom" */
  bucket?: string;
}

export interface Devstack {
  redis: RedisServer;
  s3: S3Server;
  /** Holds both servers' data; deleted by `stop`. */
  dataDir: string;
  /** The variables the apps read to reach this stack, and the local admin's credentials. */
  env: Record<string, string>;
  /** Stops both servers and deletes their data. Safe to call twice. */
  stop(): Promise<void>;
}

/** The credentials the local S3 server knows. */
const S3_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** The variables the apps read to reach these servers. */
export function devstackEnv(redis: RedisServer, s3: S3Server, bucket: string): Record<string, string> {
  return {
    REDIS_URL: redis.url,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: "us-east-1",
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    S3_FORCE_PATH_STYLE: "true",
  };
}

/** Starts redis-server and the local S3 server on free ports, each with a temporary directory. */
export async function startDevstack(options: DevstackOptions = {}): Promise<Devstack> {
  const bucket = options.bucket ?? "darkroom";
  const root = await mkdtemp(join(tmpdir(), "darkroom-devstack-"));
  const [redis, s3] = await Promise.allSettled([
    startRedisServer(root),
    startS3Server(join(root, "s3"), bucket),
  ]);

  if (redis.status === "rejected" || s3.status === "rejected") {
    await Promise.all([
      redis.status === "fulfilled" && redis.value.process.stop(),
      s3.status === "fulfilled" && s3.value.process.stop(),
    ]);
    await rm(root, { recursive: true, force: true });
    throw redis.status === "rejected" ? redis.reason : (s3 as PromiseRejectedResult).reason;
  }

  let stopping: Promise<void> | undefined;
  return {
    redis: redis.value,
    s3: s3.value,
    dataDir: root,
    env: {
      ...devstackEnv(redis.value, s3.value, bucket),
      // The admin of this stack alone: the queue page and dashboard ask for it.
      ADMIN_USER: "admin",
      ADMIN_PASSWORD: randomBytes(12).toString("base64url"),
      // Webhooks may go to a receiver on this machine: a deployment allows no loopback.
      NOTIFY_ALLOWED_CIDRS: "127.0.0.0/8,::1/128",
    },
    stop() {
      stopping ??= Promise.all([redis.value.process.stop(), s3.value.process.stop()]).then(() =>
        rm(root, { recursive: true, force: true }),
      );
      return stopping;
    },
  };
}
