import type { Account } from "@darkroom/contracts";
import type { Request } from "express";

/**
 * Who a request or a socket acts for. Every upload belongs to one owner, and
 * only that owner sees, follows or deletes it. `id` is opaque: a browser
 * session's, an API token's, or an account's from the deployment's sign-in.
 */
export interface Owner {
  id: string;
  /** Who signed in, when the owner is an account of the deployment's provider (and not an API token). */
  account?: Account;
}

declare global {
  // Express's own way to add to its request type.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `identify` on the routes that act for an owner. */
      owner?: Owner;
    }
  }
}

/** The owner `identify` set: a route that acts for an owner and has none is a wiring mistake. */
export function ownerOf(req: Request): Owner {
  if (!req.owner) throw new Error(`${req.method} ${req.path} acts for an owner but is not behind identify`);
  return req.owner;
}
