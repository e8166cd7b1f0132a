import { Redis } from "ioredis";

/**
 * The connection for code that answers HTTP requests. Commands fail at once
 * while Redis is down, so a request gets a 503 instead of hanging; check
 * `redisAvailable` before using it. Workers and event listeners instead
 * let BullMQ open connections that wait for Redis as long as it takes.
 */
export function createProducerConnection(url: string): Redis {
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
}

/**
 * Whether a connection takes commands now. Its status says `ready` until its
 * close event, which can come a moment after the socket broke: a command
 * sent meanwhile fails at once, as it does while Redis is away.
 */
export function redisAvailable(redis: Redis): boolean {
  return redis.status === "ready" && redis.stream.writable;
}
