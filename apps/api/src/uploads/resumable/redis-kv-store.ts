import type { KvStore } from "@tus/utils";
import type { Redis } from "ioredis";

/**
 * tus's cache of an upload's state, shared by every API instance. Unlike
 * tus's own Redis stores, each entry expires: an upload abandoned midway
 * leaves nothing in Redis once it could no longer be resumed anyway.
 */
export function redisKvStore<T>(redis: Redis, prefix: string, ttlMs: number): KvStore<T> {
  const key = (id: string) => `${prefix}${id}`;
  return {
    async get(id) {
      const saved = await redis.get(key(id));
      return saved === null ? undefined : (JSON.parse(saved) as T);
    },
    async set(id, value) {
      await redis.set(key(id), JSON.stringify(value), "PX", ttlMs);
    },
    async delete(id) {
      await redis.del(key(id));
    },
  };
}
