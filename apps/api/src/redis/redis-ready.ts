import { redisAvailable } from "@darkroom/queue";
import type { Redis } from "ioredis";
import { AppError } from "../http/app-error";

/**
 * Throws `QUEUE_UNAVAILABLE` unless the producer connection takes commands.
 * Its commands fail fast while Redis is away, so a request gets its 503 at
 * once, before any of its body is read.
 */
export function assertRedisReady(redis: Redis): void {
  if (!redisAvailable(redis)) throw new AppError("QUEUE_UNAVAILABLE");
}
