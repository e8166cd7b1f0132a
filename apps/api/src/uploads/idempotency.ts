import { redisAvailable } from "@darkroom/queue";
import type { Request, Response } from "express";
import type { Redis } from "ioredis";
import { z } from "zod";
import { AppError } from "../http/app-error";
import { ownerOf } from "../identity/owner";

/** What a request answered: kept so that a repeat gets the same answer. */
export interface Answer {
  status: number;
  location: string;
  body: unknown;
}

const answerSchema = z.object({ status: z.number().int(), location: z.string(), body: z.unknown() });

/** Where idempotency keys live, shared by every API instance. */
export interface AnswerStore {
  /** Whether it takes commands now; while it does not, keyed requests get 503. */
  isAvailable(): boolean;
  /** Claims `key` for a request under way; false when it is claimed or answered already. */
  claim(key: string, ttlS: number): Promise<boolean>;
  /** What `keep` kept; `undefined` while the request holding the key is still under way, or the key is free. */
  answer(key: string): Promise<string | undefined>;
  keep(key: string, answer: string, ttlS: number): Promise<void>;
  release(key: string): Promise<void>;
}

const PENDING = "pending";

/** Idempotency keys in Redis, next to the queue's keys under `keyPrefix`. */
export function redisAnswerStore(redis: Redis, keyPrefix: string): AnswerStore {
  const redisKey = (key: string) => `${keyPrefix}:idempotency:${key}`;
  return {
    isAvailable: () => redisAvailable(redis),
    claim: async (key, ttlS) => (await redis.set(redisKey(key), PENDING, "EX", ttlS, "NX")) === "OK",
    async answer(key) {
      const stored = await redis.get(redisKey(key));
      return stored === null || stored === PENDING ? undefined : stored;
    },
    keep: async (key, answer, ttlS) => void (await redis.set(redisKey(key), answer, "EX", ttlS)),
    release: async (key) => void (await redis.del(redisKey(key))),
  };
}

export interface IdempotencyOptions {
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

/** Visible ASCII, as for any header value a client generates; a UUID fits. */
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Honours the `Idempotency-Key` header: the first request with a key does
 * the work, and a repeat within a day gets the same answer, marked
 * `Idempotent-Replayed: true`, without doing the work again. A repeat that
 * arrives while the first is still running gets `409 IDEMPOTENCY_KEY_IN_USE`.
 * A request that fails frees its key, so the client can try again. Keys are
 * each owner's own: one owner's key never answers another with its upload.
 */
export function idempotency(
  store: AnswerStore,
  { answerTtlS = 24 * 3600, pendingTtlS = 15 * 60 }: IdempotencyOptions = {},
): Idempotent {
  return async (req, res, scope, work) => {
    const header = req.get("Idempotency-Key");
    if (header === undefined) return send(res, await work());
    if (!VALID_KEY.test(header)) {
      throw new AppError("VALIDATION_FAILED", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
    }
    if (!store.isAvailable()) throw new AppError("QUEUE_UNAVAILABLE");

    const key = `${ownerOf(req).id}:${scope}:${header}`;
    if (!(await store.claim(key, pendingTtlS))) {
      const stored = await store.answer(key);
      if (stored === undefined) throw new AppError("IDEMPOTENCY_KEY_IN_USE");
      // The body of a repeat is not needed: close rather than read it.
      if (!req.complete) res.set("Connection", "close");
      res.set("Idempotent-Replayed", "true");
      return send(res, answerSchema.parse(JSON.parse(stored)));
    }

    let answer: Answer;
    try {
      answer = await work();
    } catch (error) {
      await store.release(key).catch(() => undefined);
      throw error;
    }
    // The work is done: a failure to remember it must not turn its answer into an error.
    await store.keep(key, JSON.stringify(answer), answerTtlS).catch((error: unknown) => {
      req.log.warn({ err: error, idempotencyKey: header }, "could not store the answer for repeats");
    });
    send(res, answer);
  };
}

function send(res: Response, { status, location, body }: Answer): void {
  res.status(status).location(location).json(body);
}
