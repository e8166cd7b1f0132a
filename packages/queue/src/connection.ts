import { Redis } from "ioredis";

/**
 * The connection for code that answers HTTP requests. Commands fail at once
 * while Redis is down, so a request gets a 503 instead of hanging; check
 * `status === "ready"` before using it. Workers and event listeners instead
 * let BullMQ open connections that wait for Redis as long as it takes.
 */
export function createProducerConnection(url: string): Redis {
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
}
