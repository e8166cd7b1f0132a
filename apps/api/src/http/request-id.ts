import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Request } from "express";

const SAFE_ID = /^[\w.:-]{1,128}$/;

/**
 * The id of a request: the caller's `X-Request-Id`, so its logs and ours join
 * up, unless it could garble a log line; else a new one.
 */
export function makeRequestId(req: IncomingMessage): string {
  const given = req.headers["x-request-id"]?.toString();
  return given && SAFE_ID.test(given) ? given : randomUUID();
}

/** The id `makeRequestId` gave the request: pino-http types it wider than the string it is. */
export function requestIdOf(req: Request): string {
  return req.id as string;
}
