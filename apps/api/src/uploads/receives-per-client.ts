import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import type { Redis } from "ioredis";
import { AppError } from "../http/app-error";
import { clientOf } from "../http/client-address";

export interface ReceivesPerClientOptions {
  /** Uploads one client may send at once, across every API instance; 0 switches the cap off. */
  max: number;
  /** Namespaces the counts in Redis, next to the queue's keys. */
  keyPrefix: string;
}

/** Longer than any request lives: the entries of an instance that died lapse after it. */
const STALE_MS = 10 * 60 * 1000;

/**
 * Caps the uploads one client sends through the API at once, so that one
 * client cannot take every receive slot (`UPLOAD_CONCURRENCY`) and keep
 * everyone else's uploads waiting. Counted in a Redis sorted set per client,
 * one member per request, so that the cap holds across instances and a
 * crashed instance's requests lapse. While Redis is away it lets uploads
 * through: the routes refuse them anyway.
 */
export function receivesPerClient(
  redis: Redis,
  { max, keyPrefix }: ReceivesPerClientOptions,
): RequestHandler {
  if (max === 0) return (_req, _res, next) => next();
  return async (req, res, next) => {
    const key = `${keyPrefix}:receiving:${clientOf(req.ip)}`;
    const member = randomUUID();
    const now = Date.now();
    const replies = await redis
      .multi()
      .zremrangebyscore(key, "-inf", now - STALE_MS)
      .zadd(key, now, member)
      .zcard(key)
      .pexpire(key, STALE_MS)
      .exec()
      .catch(() => null);
    const count = replies?.[2]?.[1];
    if (typeof count !== "number") return next();
    const leave = () => void redis.zrem(key, member).catch(() => undefined);
    if (count > max) {
      leave();
      throw new AppError("TOO_MANY_CONCURRENT_UPLOADS");
    }
    res.once("close", leave);
    next();
  };
}
