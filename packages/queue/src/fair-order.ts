import { QueueKeys } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueConfig } from "./config";

/**
 * Who goes first among waiting jobs: start-time fair queuing over BullMQ's
 * priorities (lower runs sooner). Each owner's next job gets the tag
 * `max(clock, the owner's last tag) + 1`, where the clock is the tag of the
 * job a worker started last. An owner with 300 jobs waiting holds tags
 * clock+1 … clock+300; another owner's first job gets clock+1, and runs
 * second. Within one owner, jobs keep the order they came in.
 *
 * Bulk jobs (an API client that says so) come after every interactive one:
 * their tags count from `BULK_OFFSET`, with a clock of their own, and are
 * fair among bulk owners the same way.
 *
 * BullMQ allows priorities up to 2^21 - 1, so tags cannot grow for ever: they
 * start again from 1 whenever the queue is idle (nothing waiting, delayed or
 * running), when no job holds an old one. A queue that is never idle for a
 * million jobs has its tags held at the top of the range, where jobs of the
 * class run in the order they came.
 */
export interface FairOrder {
  /** The priority of an owner's next job, `id`, which waits from now. */
  priorityFor(id: string, owner: string, priorityClass: PriorityClass): Promise<number>;
  /** A worker started a job: the clock of its class moves up to its priority, and it waits no more. */
  started(id: string, priority: number): Promise<void>;
  /** No worker will start this job. */
  forget(id: string): Promise<void>;
  /** When the job that has waited longest was enqueued, and its id; `undefined` when none waits. */
  longestWaiting(): Promise<{ id: string; since: number } | undefined>;
}

export type PriorityClass = "interactive" | "bulk";

export const BULK_OFFSET = 2 ** 20;
const TOP_TAG = BULK_OFFSET - 1;
/** An owner's last tag matters while its jobs wait: a day is longer than any wait. */
const OWNER_TAG_TTL_S = 24 * 3600;

const NEXT_TAG = `
-- Jobs tagged but not yet added count too (KEYS[7]): they hold tags of this generation.
local idle = redis.call('LLEN', KEYS[3]) + redis.call('ZCARD', KEYS[4]) + redis.call('ZCARD', KEYS[5])
  + redis.call('LLEN', KEYS[6]) + redis.call('ZCARD', KEYS[7]) == 0
if idle then
  redis.call('HINCRBY', KEYS[1], 'generation', 1)
  redis.call('HDEL', KEYS[1], 'clock:interactive', 'clock:bulk')
end
local generation = redis.call('HGET', KEYS[1], 'generation') or '0'
local clock = tonumber(redis.call('HGET', KEYS[1], 'clock:' .. ARGV[1]) or '0')
local last = 0
local stored = redis.call('GET', KEYS[2])
if stored then
  local storedGeneration, tag = string.match(stored, '^(%d+):(%d+)$')
  if storedGeneration == generation then last = tonumber(tag) end
end
local tag = math.min(math.max(clock, last) + 1, tonumber(ARGV[3]))
redis.call('SET', KEYS[2], generation .. ':' .. tag, 'EX', ARGV[2])
redis.call('ZADD', KEYS[7], 'NX', ARGV[5], ARGV[4])
return tag
`;

const STARTED = `
redis.call('ZREM', KEYS[2], ARGV[3])
if ARGV[1] == '' then return end
local clock = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > clock then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
`;

export function fairOrder(redis: Redis, config: Pick<QueueConfig, "name" | "prefix">): FairOrder {
  const keys = new QueueKeys(config.prefix);
  const key = (type: string) => keys.toKey(config.name, type);
  const fairKey = key("fair");
  // Each waiting job by when it was enqueued: the fair order is not the order of arrival.
  const waitingSince = key("fair:waiting-since");

  return {
    async priorityFor(id, owner, priorityClass) {
      const tag = (await redis.eval(
        NEXT_TAG,
        7,
        fairKey,
        key(`fair:${priorityClass}:${owner}`),
        key("wait"),
        key("prioritized"),
        key("delayed"),
        key("active"),
        waitingSince,
        priorityClass,
        OWNER_TAG_TTL_S,
        TOP_TAG,
        id,
        Date.now(),
      )) as number;
      return priorityClass === "bulk" ? BULK_OFFSET + tag : tag;
    },

    async started(id, priority) {
      // A job without a priority (enqueued before fair ordering) moves no clock.
      const [field, tag] =
        priority < 1
          ? ["", 0]
          : priority >= BULK_OFFSET
            ? ["clock:bulk", priority - BULK_OFFSET]
            : ["clock:interactive", priority];
      await redis.eval(STARTED, 2, fairKey, waitingSince, field, tag, id);
    },

    async forget(id) {
      await redis.zrem(waitingSince, id);
    },

    async longestWaiting() {
      const [id, since] = await redis.zrange(waitingSince, "0", "0", "WITHSCORES");
      return id === undefined ? undefined : { id, since: Number(since) };
    },
  };
}
