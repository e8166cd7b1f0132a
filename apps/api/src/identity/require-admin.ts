import { ERROR_CATALOGUE, type ErrorBody } from "@darkroom/contracts";
import type { RequestHandler } from "express";
import basicAuth from "express-basic-auth";
import type { AdminCredentials } from "../env";
import type { BrowserSessions } from "./browser-sessions";

const refusal = {
  error: { code: "ADMIN_REQUIRED", message: ERROR_CATALOGUE.ADMIN_REQUIRED.message },
} satisfies ErrorBody;

/**
 * The admin's routes (the queue's jobs and its dashboard, which act on every
 * owner's uploads): a browser session signed in as an admin account, else
 * basic auth with the admin's credentials, asked for with a challenge so
 * that a browser prompts. Without either, nobody passes.
 */
export function requireAdmin(admin: AdminCredentials | undefined, sessions: BrowserSessions): RequestHandler {
  const credentials = basicAuth({
    users: admin ? { [admin.user]: admin.password } : {},
    challenge: true,
    realm: "Darkroom admin",
    unauthorizedResponse: () => refusal,
  });
  return async (req, res, next) => {
    if ((await sessions.read(req.headers.cookie))?.account?.admin) return next();
    credentials(req, res, next);
  };
}
