import type { Redis } from "@darkroom/queue";
import type { Request, Response } from "express";
import { z } from "zod";
import { AppError } from "../http/app-error";
import { assertRedisReady } from "../http/redis-ready";

/** What a request answered: kept so that a repeat gets the same answer. */
export interface Answer {
  status: number;
  location: string;
  body: unknown;
}

const answerSchema = z.object({ status: z.number().int(), location: z.string(), body: z.unknown() });

export interface IdempotencyOptions {
  /** Namespaces the keys in Redis, next to the queue's. */
  keyPrefix: string;
  /** How long a repeat gets the first answer. @defaultValue 24 h */
  answerTtlS?: number;
  /** How long a request may hold its key before an answer: frees keys of requests whose process died. @defaultValue 15 min */
  pendingTtlS?: number;
}

export type Idempotent = (
  req: Request,
  res: Response,
  scope: string,
  work: () => Promise<Answer>,
) => Promise<void>;

const PENDING = "pending";
/** Visible ASCII, as for any header value a client generates; a UUID fits. */
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Honours the `Idempotency-Key` header: the first request with a key does
 * the work, and a repeat within a day gets the same answer, marked
 * `Idempotent-Replayed: true`, without doing the work again. A repeat that
 * arrives while the first is still running gets `409 IDEMPOTENCY_KEY_IN_USE`.
 * A request that fails frees its key, so the client can try again.
 */
export function idempotency(
  redis: Redis,
  { keyPrefix, answerTtlS = 24 * 3600, pendingTtlS = 15 * 60 }: IdempotencyOptions,
): Idempotent {
  return async (req, res, scope, work) => {
    const key = req.get("Idempotency-Key");
    if (key === undefined) return send(res, await work());
    if (!VALID_KEY.test(key)) {
      throw new AppError("VALIDATION_FAILED", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
    }
    assertRedisReady(redis);

    const redisKey = `${keyPrefix}:idempotency:${scope}:${key}`;
    const claimed = await redis.set(redisKey, PENDING, "EX", pendingTtlS, "NX");
    if (claimed !== "OK") {
      const stored = await redis.get(redisKey);
      if (stored === null || stored === PENDING) throw new AppError("IDEMPOTENCY_KEY_IN_USE");
      // The body of a repeat is not needed: close rather than read it.
      if (!req.complete) res.set("Connection", "close");
      res.set("Idempotent-Replayed", "true");
      return send(res, answerSchema.parse(JSON.parse(stored)));
    }

    let answer: Answer;
    try {
      answer = await work();
    } catch (error) {
      await redis.del(redisKey).catch(() => undefined);
      throw error;
    }
    // The work is done: a failure to remember it must not turn its answer into an error.
    await redis.set(redisKey, JSON.stringify(answer), "EX", answerTtlS).catch((error: unknown) => {
      req.log.warn({ err: error, idempotencyKey: key }, "could not store the answer for repeats");
    });
    send(res, answer);
  };
}

function send(res: Response, { status, location, body }: Answer): void {
  res.status(status).location(location).json(body);
}
