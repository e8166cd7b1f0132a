import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { ERRORS, type Lock, type Locker, type RequestRelease } from "@tus/utils";
import type { Redis } from "ioredis";

export interface RedisLockerOptions {
  /** Takes and renews locks, and asks holders to let go. */
  redis: Redis;
  /** A connection of its own, which hears those requests. */
  subscriber: Redis;
  prefix: string;
  /**
   * How long a lock outlives the instance that holds it, should that one die:
   * the next PATCH for the upload waits at most this, then proceeds.
   */
  ttlMs: number;
  /** How long a request waits for a lock before tus answers it 500 ERR_LOCK_TIMEOUT. */
  acquireTimeoutMs: number;
}

/** Deletes or extends the lock only while it is still the caller's. */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RETRY_MS = 50;

/**
 * tus's lock on an upload, across API instances. A PATCH holds its upload's
 * lock while it writes; a second request for the same upload (the client
 * resuming after a cut the server has not noticed yet) asks the holder, over
 * pub/sub, to let go, as tus's in-memory locker does within one process. A
 * lock is renewed while held and expires after `ttlMs` when its instance
 * dies, so an upload started on a killed instance resumes on another.
 * @tus/server ships only the in-memory locker.
 */
export function redisLocker({
  redis,
  subscriber,
  prefix,
  ttlMs,
  acquireTimeoutMs,
}: RedisLockerOptions): Locker {
  const releaseRequests = new Map<string, RequestRelease>();
  subscriber.on("message", (channel: string) => void releaseRequests.get(channel)?.());

  return {
    newLock(id): Lock {
      const key = `${prefix}lock:${id}`;
      const channel = `${prefix}lock-release:${id}`;
      const token = randomUUID();
      let renewal: NodeJS.Timeout | undefined;

      return {
        async lock(signal, requestRelease) {
          const deadline = Date.now() + acquireTimeoutMs;
          while (!signal.aborted && Date.now() < deadline) {
            if (await redis.set(key, token, "PX", ttlMs, "NX")) {
              releaseRequests.set(channel, requestRelease);
              await subscriber.subscribe(channel);
              renewal = setInterval(() => {
                redis
                  .eval(EXTEND, 1, key, token, ttlMs)
                  .then((extended) => {
                    // Taken over after this instance stalled past the TTL: stop writing.
                    if (extended === 0) void requestRelease();
                  })
                  .catch(() => undefined);
              }, ttlMs / 3).unref();
              return;
            }
            await redis.publish(channel, "release");
            await sleep(RETRY_MS, undefined, { signal }).catch(() => undefined);
          }
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- tus answers its own errors, which are not Errors
          throw ERRORS.ERR_LOCK_TIMEOUT;
        },
        async unlock() {
          clearInterval(renewal);
          releaseRequests.delete(channel);
          await subscriber.unsubscribe(channel);
          await redis.eval(RELEASE, 1, key, token);
        },
      };
    },
  };
}
