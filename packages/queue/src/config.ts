import { z } from "zod";

/** Redis and queue settings every app reads from its environment. Compose it into the app's `env.ts`. */
export const queueEnvSchema = z.object({
  REDIS_URL: z.url().default("redis://127.0.0.1:6379"),
  /** @defaultValue "photos" */
  QUEUE_NAME: z.string().min(1).default("photos"),
  /** Namespaces every BullMQ key. On Redis Cluster, wrap it in `{}` so a queue's keys share a slot. */
  QUEUE_PREFIX: z.string().min(1).default("darkroom"),
});

export interface QueueConfig {
  redisUrl: string;
  name: string;
  prefix: string;
}

export function queueConfigFromEnv(env: z.infer<typeof queueEnvSchema>): QueueConfig {
  return { redisUrl: env.REDIS_URL, name: env.QUEUE_NAME, prefix: env.QUEUE_PREFIX };
}
