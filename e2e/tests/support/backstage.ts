import { photoQueueFromEnv, type PhotoQueue } from "@darkroom/queue";
import { storageFromEnv, type ObjectStorage } from "@darkroom/storage";

export interface Backstage {
  storage: ObjectStorage;
  queue: PhotoQueue;
  close(): Promise<void>;
}

/** The stack's S3 and queue, for tests that check or arrange what no page shows. */
export function backstage(): Backstage {
  const env = JSON.parse(process.env.E2E_STACK_ENV ?? "{}") as Record<string, string>;
  const queue = photoQueueFromEnv(env);
  return { storage: storageFromEnv(env), queue, close: () => queue.close() };
}
