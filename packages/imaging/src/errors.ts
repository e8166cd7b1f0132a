import type { ErrorCode } from "@darkroom/contracts";

export type ImageRejectionCode = Extract<
  ErrorCode,
  "UNSUPPORTED_MEDIA_TYPE" | "IMAGE_CORRUPT" | "IMAGE_TOO_MANY_PIXELS" | "EMPTY_FILE"
>;

/** The input itself is bad: retrying cannot help. */
export class ImageRejectedError extends Error {
  override readonly name = "ImageRejectedError";

  constructor(
    readonly code: ImageRejectionCode,
    message: string,
  ) {
    super(message);
  }
}
