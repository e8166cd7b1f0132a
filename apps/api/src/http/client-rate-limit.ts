import type { RequestHandler } from "express";
import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "./app-error";
import { clientOf } from "./client-address";

export interface ClientRateLimitOptions {
  /** What is counted, in the keys and the refusal: "uploads", "API tokens". */
  what: string;
  /** Requests a client may make per window; 0 switches the limit off. */
  points: number;
  windowS: number;
  /** Namespaces the counters in Redis, next to the queue's keys. */
  keyPrefix: string;
}

/**
 * A per-client limit, counted in Redis so that it holds across every API
 * instance. Clients are told apart by address (see `clientOf`). While Redis
 * is away the limit lets requests through: what they ask for needs Redis
 * anyway, and refuses them itself, or does not (sync uploads).
 */
export function clientRateLimit(
  redis: Redis,
  { what, points, windowS, keyPrefix }: ClientRateLimitOptions,
): RequestHandler {
  if (points === 0) return (_req, _res, next) => next();
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keyPrefix}:rate:${what.replaceAll(" ", "-").toLowerCase()}`,
    points,
    duration: windowS,
    rejectIfRedisNotReady: true,
  });
  return async (req, _res, next) => {
    try {
      await limiter.consume(clientOf(req.ip));
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new AppError("RATE_LIMITED", `Too many ${what} from this client. Slow down and retry later.`, {
          retryAfterS: Math.ceil(rejection.msBeforeNext / 1000),
        });
      }
      req.log.warn({ err: rejection }, `${what} not rate limited: Redis is unavailable`);
    }
    next();
  };
}
