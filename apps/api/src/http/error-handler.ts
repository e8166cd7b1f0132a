import type { ErrorBody } from "@darkroom/contracts";
import { ImageRejectedError } from "@darkroom/imaging";
import { StorageUnavailableError } from "@darkroom/storage";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { AppError } from "./app-error";

/** Turns anything thrown into `{error: {code, message}}`; unknown errors are logged and hidden. */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) return next(error);
  const appError = toAppError(error);
  if (appError.status >= 500) req.log.error({ err: error }, "request failed");
  const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
  // The client may still be sending a body we will not read: close rather than reuse the connection.
  if (!req.complete) res.set("Connection", "close");
  if (appError.retryAfterS !== undefined) res.set("Retry-After", String(appError.retryAfterS));
  res.status(appError.status).json(body);
};

export const notFoundHandler: RequestHandler = (req) => {
  throw new AppError("NOT_FOUND", `No route for ${req.method} ${req.path}`);
};

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ImageRejectedError) return new AppError(error.code, error.message);
  if (error instanceof StorageUnavailableError) return new AppError("STORAGE_UNAVAILABLE");
  return new AppError("INTERNAL");
}
