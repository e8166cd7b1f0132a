import type { ErrorCode } from "@darkroom/contracts";

export type ImageRejectionCode = Extract<
  ErrorCode,
  | "UNSUPPORTED_MEDIA_TYPE"
  | "IMAGE_CORRUPT"
  | "IMAGE_TOO_MANY_PIXELS"
  | "EMPTY_FILE"
  | "IMAGE_DECODER_CRASHED"
>;

/**
 * The input itself is bad: retrying cannot help. That includes a file that
 * crashed its render thread: the thread's memory is its own, so the same
 * file crashes it again whatever else the process does.
 */
export class ImageRejectedError extends Error {
  override readonly name = "ImageRejectedError";

  constructor(
    readonly code: ImageRejectionCode,
    message: string,
  ) {
    super(message);
  }
}
