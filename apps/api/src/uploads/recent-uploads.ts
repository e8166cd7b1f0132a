import type { Redis } from "ioredis";

/** Each owner's uploads the gallery lists, newest first; older ones drop off. */
export interface RecentUploads {
  add(owner: string, id: string): Promise<void>;
  remove(owner: string, ...ids: string[]): Promise<void>;
  newest(owner: string, count: number): Promise<string[]>;
}

/** As long as a browser session's cookie lives: an owner who never comes back leaves nothing behind. */
const KEEP_S = 400 * 24 * 3600;

/**
 * The ids of an owner's newest uploads, in a Redis sorted set scored by time:
 * S3 lists keys by name, and upload ids are random, so it cannot say which
 * uploads are newest. Each upload's state is then read as for any status.
 * @param keep how many the set holds: the gallery shows no more.
 */
export function recentUploads(redis: Redis, keyPrefix: string, keep = 500): RecentUploads {
  const key = (owner: string) => `${keyPrefix}:recent-uploads:${owner}`;
  return {
    async add(owner, id) {
      await redis
        .multi()
        .zadd(key(owner), Date.now(), id)
        .zremrangebyrank(key(owner), 0, -(keep + 1))
        .expire(key(owner), KEEP_S)
        .exec();
    },
    async remove(owner, ...ids) {
      if (ids.length > 0) await redis.zrem(key(owner), ...ids);
    },
    newest: (owner, count) => redis.zrevrange(key(owner), 0, count - 1),
  };
}
