import type { Redis } from "@darkroom/queue";
import { AppError } from "./app-error";

/**
 * Throws `QUEUE_UNAVAILABLE` unless the producer connection is ready. Its
 * commands fail fast while Redis is away, so a request gets its 503 at once,
 * before any of its body is read.
 */
export function assertRedisReady(redis: Redis): void {
  if (redis.status !== "ready") throw new AppError("QUEUE_UNAVAILABLE");
}
