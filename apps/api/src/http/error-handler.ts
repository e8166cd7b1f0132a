import { finished } from "node:stream/promises";
import { setTimeout as delay } from "node:timers/promises";
import type { ErrorBody } from "@darkroom/contracts";
import { ImageRejectedError } from "@darkroom/imaging";
import { redisAvailable } from "@darkroom/queue";
import { StorageUnavailableError } from "@darkroom/storage";
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Redis } from "ioredis";
import { AppError } from "./app-error";

/**
 * How long an error answer sent before the whole request arrived goes on
 * reading, and dropping, the rest of it. Closing at once would reset the
 * connection while the client is still sending, and most clients then report
 * the reset instead of the answer (nginx reads on for the same reason: its
 * "lingering close"). A client still sending after this is cut off.
 */
const LINGER_MS = 10_000;

/**
 * Turns anything thrown into `{error: {code, message}}`; unknown errors are
 * logged and hidden. Redis can go away between a request's readiness check
 * and its commands: an unknown error while it is away is that outage, and
 * gets its 503, not a 500.
 */
export function errorHandler(redis: Redis): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const appError =
      toAppError(error) ?? new AppError(redisAvailable(redis) ? "INTERNAL" : "QUEUE_UNAVAILABLE");
    if (appError.status >= 500) req.log.error({ err: error }, "request failed");
    const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
    if (appError.retryAfterS !== undefined) res.set("Retry-After", String(appError.retryAfterS));
    const answer = () => void res.status(appError.status).json(body);
    if (req.complete) return answer();
    if (res.getHeader("Connection") === "close") {
      // Node closes such a connection as soon as the answer is out, which
      // would be under the client's writes: the rest is read first.
      req.resume();
      void Promise.race([
        finished(req).catch(() => undefined),
        delay(LINGER_MS, undefined, { ref: false }),
      ]).then(answer);
      return;
    }
    // Node reads and drops the unread rest once the answer is sent, and keeps the connection.
    const cutOff = setTimeout(() => req.complete || req.socket.destroy(), LINGER_MS).unref();
    req.once("end", () => clearTimeout(cutOff));
    answer();
  };
}

export const notFoundHandler: RequestHandler = (req) => {
  throw new AppError("NOT_FOUND", `No route for ${req.method} ${req.path}`);
};

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof ImageRejectedError) return new AppError(error.code, error.message);
  if (error instanceof StorageUnavailableError) return new AppError("STORAGE_UNAVAILABLE");
  return undefined;
}
