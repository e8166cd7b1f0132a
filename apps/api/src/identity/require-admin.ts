import { ERROR_CATALOGUE, type ErrorBody } from "@darkroom/contracts";
import type { RequestHandler } from "express";
import basicAuth from "express-basic-auth";
import type { AdminCredentials } from "../env";

const refusal = {
  error: { code: "ADMIN_REQUIRED", message: ERROR_CATALOGUE.ADMIN_REQUIRED.message },
} satisfies ErrorBody;

/**
 * The admin's routes (the queue's jobs and its dashboard, which act on every
 * owner's uploads): basic auth with the admin's credentials, asked for with
 * a challenge so that a browser prompts. Without an admin, nobody passes.
 */
export function requireAdmin(admin: AdminCredentials | undefined): RequestHandler {
  return basicAuth({
    users: admin ? { [admin.user]: admin.password } : {},
    challenge: true,
    realm: "Darkroom admin",
    unauthorizedResponse: () => refusal,
  });
}
