import { createPhotoQueue, queueConfigFromEnv, queueEnvSchema, type PhotoQueue } from "@darkroom/queue";
import { createS3Storage, s3ConfigFromEnv, s3EnvSchema, type ObjectStorage } from "@darkroom/storage";

export interface Backstage {
  storage: ObjectStorage;
  queue: PhotoQueue;
  close(): Promise<void>;
}

/** The stack's S3 and queue, for tests that check or arrange what no page shows. */
export function backstage(): Backstage {
  const env = JSON.parse(process.env.E2E_STACK_ENV ?? "{}") as Record<string, string>;
  const queue = createPhotoQueue(queueConfigFromEnv(queueEnvSchema.parse(env)));
  return {
    storage: createS3Storage(s3ConfigFromEnv(s3EnvSchema.parse(env))),
    queue,
    close: () => queue.close(),
  };
}
