import type { Redis } from "ioredis";

/** Uploads the gallery lists, newest first; older ones drop off. */
export interface RecentUploads {
  add(id: string): Promise<void>;
  remove(...ids: string[]): Promise<void>;
  newest(count: number): Promise<string[]>;
}

/**
 * The ids of the newest uploads, in a Redis sorted set scored by time: S3
 * lists keys by name, and upload ids are random, so it cannot say which
 * uploads are newest. Each upload's state is then read as for any status.
 * @param keep how many the set holds: the gallery shows no more.
 */
export function recentUploads(redis: Redis, keyPrefix: string, keep = 500): RecentUploads {
  const key = `${keyPrefix}:recent-uploads`;
  return {
    async add(id) {
      await redis
        .multi()
        .zadd(key, Date.now(), id)
        .zremrangebyrank(key, 0, -(keep + 1))
        .exec();
    },
    async remove(...ids) {
      if (ids.length > 0) await redis.zrem(key, ...ids);
    },
    newest: (count) => redis.zrevrange(key, 0, count - 1),
  };
}
