import type { RequestHandler } from "express";
import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../http/app-error";
import { clientOf } from "../http/client-address";

export interface UploadRateLimitOptions {
  /** Uploads a client may send per window; 0 switches the limit off. */
  points: number;
  windowS: number;
  /** Namespaces the counters in Redis, next to the queue's keys. */
  keyPrefix: string;
}

/**
 * A per-client limit on uploads, counted in Redis so that it holds across
 * every API instance. Clients are told apart by address (see `clientOf`).
 * While Redis is away the limit lets uploads through: the queued endpoint
 * refuses them anyway, and the sync endpoint does not need Redis.
 */
export function uploadRateLimit(redis: Redis, options: UploadRateLimitOptions): RequestHandler {
  if (options.points === 0) return (_req, _res, next) => next();
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${options.keyPrefix}:rate:uploads`,
    points: options.points,
    duration: options.windowS,
    rejectIfRedisNotReady: true,
  });
  return async (req, _res, next) => {
    try {
      await limiter.consume(clientOf(req.ip));
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new AppError("RATE_LIMITED", undefined, {
          retryAfterS: Math.ceil(rejection.msBeforeNext / 1000),
        });
      }
      req.log.warn({ err: rejection }, "rate limit not checked: Redis is unavailable");
    }
    next();
  };
}
