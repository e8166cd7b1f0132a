import type { Redis } from "ioredis";

/** Where an upload stands in its owner's listing: when it was listed (ms), then its id. */
export interface ListingPosition {
  listedAt: number;
  id: string;
}

export interface ListingPage {
  /** Newest first. */
  entries: ListingPosition[];
  /** Whether older entries follow the last. */
  more: boolean;
}

/** Each owner's uploads the gallery lists, newest first; older ones drop off. */
export interface RecentUploads {
  add(owner: string, id: string): Promise<void>;
  remove(owner: string, ...ids: string[]): Promise<void>;
  /** Up to `count` entries, newest first: the newest of all, or those after `after`. */
  page(owner: string, count: number, after?: ListingPosition): Promise<ListingPage>;
}

/** As long as a browser session's cookie lives: an owner who never comes back leaves nothing behind. */
const KEEP_S = 400 * 24 * 3600;

/**
 * The ids of an owner's newest uploads, in a Redis sorted set scored by the
 * time each was listed: S3 lists keys by name, and upload ids are random, so
 * it cannot say which uploads are newest. Each upload's state is then read as
 * for any status.
 *
 * The order is the set's own: score descending, then id descending among
 * equal scores (uploads listed in the same millisecond). A page goes on after
 * a position, not an offset, so uploads added meanwhile (always newer) and
 * deleted meanwhile shift nothing: paging through sees each upload once.
 */
export function recentUploads(
  redis: Redis,
  keyPrefix: string,
  {
    keep = 500,
    now = Date.now,
  }: {
    /** How many the set holds: the gallery shows no more. @defaultValue 500 */
    keep?: number;
    /** The clock that stamps each upload listed. @defaultValue `Date.now` */
    now?: () => number;
  } = {},
): RecentUploads {
  const key = (owner: string) => `${keyPrefix}:recent-uploads:${owner}`;
  return {
    async add(owner, id) {
      // NX: an upload listed again (a repeated complete) keeps its place, or a page could skip it.
      await redis
        .multi()
        .zadd(key(owner), "NX", now(), id)
        .zremrangebyrank(key(owner), 0, -(keep + 1))
        .expire(key(owner), KEEP_S)
        .exec();
    },
    async remove(owner, ...ids) {
      if (ids.length > 0) await redis.zrem(key(owner), ...ids);
    },
    async page(owner, count, after) {
      // One more than asked tells whether more follow.
      const wanted = count + 1;
      let entries: ListingPosition[];
      if (!after) {
        entries = positions(await redis.zrevrange(key(owner), 0, wanted - 1, "WITHSCORES"));
      } else {
        // Those listed in the same millisecond as `after` and after it by id, then every older one.
        // Uploads added between the two reads are newer than both: they change neither.
        const [sameTime, older] = await Promise.all([
          redis.zrevrangebyscore(key(owner), after.listedAt, after.listedAt, "WITHSCORES"),
          redis.zrevrangebyscore(key(owner), `(${after.listedAt}`, "-inf", "WITHSCORES", "LIMIT", 0, wanted),
        ]);
        entries = [...positions(sameTime).filter((entry) => entry.id < after.id), ...positions(older)];
      }
      return { entries: entries.slice(0, count), more: entries.length > count };
    },
  };
}

/** `[member, score, member, score, …]` as Redis answers `WITHSCORES`. */
function positions(reply: string[]): ListingPosition[] {
  const entries: ListingPosition[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2)
    entries.push({ id: reply[i]!, listedAt: Number(reply[i + 1]) });
  return entries;
}
