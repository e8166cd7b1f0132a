import { fileTypeFromBuffer } from "file-type";
import { ImageRejectedError } from "./errors";

/** How many leading bytes `sniffImageType` needs to recognise every accepted format. */
export const SNIFF_BYTES = 4100;

export const ACCEPTED_MIME_TYPES: ReadonlySet<string> = new Set([
  "image/jpeg",
  "image/png",
  "image/webp",
  "image/avif",
  "image/gif",
  "image/tiff",
]);

const UNDECODABLE_HINTS: Record<string, string> = {
  "image/heic": "HEIC/HEIF photos are not supported: export them as JPEG first.",
  "image/heif": "HEIC/HEIF photos are not supported: export them as JPEG first.",
};

/**
 * Identifies an image from its first bytes, never from its name or declared
 * Content-Type, which the client controls.
 * @throws ImageRejectedError when the bytes are not an accepted image.
 */
export async function sniffImageType(head: Uint8Array): Promise<string> {
  if (head.byteLength === 0) throw new ImageRejectedError("EMPTY_FILE", "The file is empty.");
  const detected = await fileTypeFromBuffer(head);
  // An animated PNG is a PNG; like a GIF, its first frame is what gets rendered.
  if (detected?.mime === "image/apng") return "image/png";
  if (detected && ACCEPTED_MIME_TYPES.has(detected.mime)) return detected.mime;
  const hint = detected && UNDECODABLE_HINTS[detected.mime];
  throw new ImageRejectedError(
    "UNSUPPORTED_MEDIA_TYPE",
    hint ??
      `The file is ${detected ? detected.mime : "not an image"}; send JPEG, PNG, WebP, AVIF, GIF or TIFF.`,
  );
}
