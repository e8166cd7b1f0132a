import { photoQueueFromEnv, type PhotoQueue } from "@darkroom/queue";
import { storageFromEnv, type ObjectStorage } from "@darkroom/storage";

export interface Backstage {
  storage: ObjectStorage;
  queue: PhotoQueue;
  /** The value of a counter or gauge without labels on the API's `/metrics`. */
  apiMetric(name: string): Promise<number>;
  close(): Promise<void>;
}

const stackEnv = () => JSON.parse(process.env.E2E_STACK_ENV ?? "{}") as Record<string, string>;

/** The stack's admin, as a browser answers the queue page's basic-auth challenge. */
export function adminCredentials(): { username: string; password: string } {
  const { ADMIN_USER, ADMIN_PASSWORD } = stackEnv();
  if (!ADMIN_USER || !ADMIN_PASSWORD) throw new Error("The e2e stack has no admin");
  return { username: ADMIN_USER, password: ADMIN_PASSWORD };
}

/** The stack's S3 and queue, for tests that check or arrange what no page shows. */
export function backstage(): Backstage {
  const env = stackEnv();
  const queue = photoQueueFromEnv(env);
  return { storage: storageFromEnv(env), queue, apiMetric, close: () => queue.close() };
}

async function apiMetric(name: string): Promise<number> {
  const response = await fetch(new URL("/metrics", process.env.E2E_API_URL));
  const text = await response.text();
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name} `));
  if (!line) throw new Error(`The API's /metrics has no ${name}`);
  return Number(line.slice(name.length + 1));
}
