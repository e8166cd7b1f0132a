import type { Redis } from "@darkroom/queue";
import { AppError } from "./app-error";

/**
 * Whether the producer connection takes commands now. Its status says so
 * until its close event, which can come a moment after the socket broke: a
 * command sent meanwhile fails at once, as it does while Redis is away.
 */
export function redisAvailable(redis: Redis): boolean {
  return redis.status === "ready" && redis.stream.writable;
}

/**
 * Throws `QUEUE_UNAVAILABLE` unless the producer connection takes commands.
 * Its commands fail fast while Redis is away, so a request gets its 503 at
 * once, before any of its body is read.
 */
export function assertRedisReady(redis: Redis): void {
  if (!redisAvailable(redis)) throw new AppError("QUEUE_UNAVAILABLE");
}
