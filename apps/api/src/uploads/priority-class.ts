import type { PriorityClass } from "@darkroom/queue";
import type { Request, RequestHandler } from "express";
import { AppError } from "../http/app-error";

/**
 * `Upload-Priority: bulk` on the request that completes an upload (the
 * queued POST, a direct upload's `complete`, a resumable upload's last
 * PATCH): an import or a backfill, processed after every upload a person
 * waits for. Without it, `interactive`.
 */
export const priorityClassOf = (req: Request): PriorityClass =>
  req.get("upload-priority") === "bulk" ? "bulk" : "interactive";

/** Refuses a value it does not know before anything is received or stored. */
export const checkPriorityHeader: RequestHandler = (req, _res, next) => {
  const value = req.get("upload-priority");
  if (value === undefined || value === "bulk" || value === "interactive") return next();
  throw new AppError("VALIDATION_FAILED", `Upload-Priority is "interactive" or "bulk", not "${value}".`);
};
