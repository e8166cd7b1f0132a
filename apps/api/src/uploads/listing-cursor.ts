import { uploadIdSchema } from "@darkroom/contracts";
import { z } from "zod";
import type { ListingPosition } from "./recent-uploads";

/**
 * The `cursor` of `GET /api/uploads`: the place of the last upload a page
 * listed, in base64url so that clients treat it as opaque and never build
 * one. It holds nothing secret: a cursor only says where to go on in the
 * caller's own listing, whoever made it.
 */
export function encodeListingCursor(position: ListingPosition): string {
  return Buffer.from(JSON.stringify([position.listedAt, position.id])).toString("base64url");
}

const positionSchema = z
  .tuple([z.number().int().nonnegative(), uploadIdSchema])
  .transform(([listedAt, id]): ListingPosition => ({ listedAt, id }));

/** The place a cursor names, or `undefined` for anything `encodeListingCursor` did not make. */
export function decodeListingCursor(cursor: string): ListingPosition | undefined {
  if (!/^[\w-]{1,200}$/.test(cursor)) return undefined;
  try {
    const parsed = positionSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
