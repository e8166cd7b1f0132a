import { Redis } from "ioredis";

/**
 * - `producer`: for code that answers HTTP requests. Commands fail at once
 *   while Redis is down, so a request gets a 503 instead of hanging.
 * - `blocking`: for workers and event listeners. Commands wait and retry for
 *   as long as Redis is away, as BullMQ requires.
 */
export type ConnectionRole = "producer" | "blocking";

export function createRedisConnection(url: string, role: ConnectionRole): Redis {
  return role === "producer"
    ? new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
    : new Redis(url, { maxRetriesPerRequest: null });
}
