import {
  ImageRejectedError,
  rangeTokenizer,
  sniffImageType,
  SNIFF_BYTES,
  type ImageRejectionCode,
} from "@darkroom/imaging";
import { objectKeys, type ObjectInfo, type ObjectStorage } from "@darkroom/storage";

export type OriginalRejectionCode = ImageRejectionCode | "FILE_TOO_LARGE" | "SIZE_MISMATCH";

/** The stored original is not an upload we accept; it has been deleted. */
export class OriginalRejectedError extends Error {
  override readonly name = "OriginalRejectedError";

  constructor(
    readonly code: OriginalRejectionCode,
    message: string,
  ) {
    super(message);
  }
}

export interface CheckedOriginal extends ObjectInfo {
  key: string;
  /** Sniffed from the bytes, never the type the client declared. */
  contentType: string;
}

export interface OriginalLimits {
  maxBytes: number;
  /** The size the client announced before sending, when it did. */
  declaredBytes?: number;
}

/**
 * Checks an original that a client sent straight to storage (direct and
 * resumable uploads, or one the reconciler finds) the way the API checks a
 * body it receives: its size, then its type, both from one ranged GET of its
 * first bytes; a TIFF, whose first directory may lie anywhere, takes a ranged
 * GET or two more, within a budget. One that fails is deleted, so nothing
 * half-accepted stays.
 *
 * @returns `undefined` when storage holds no original for the upload.
 * @throws OriginalRejectedError once the bad original is deleted.
 */
export async function checkStoredOriginal(
  storage: ObjectStorage,
  id: string,
  { maxBytes, declaredBytes }: OriginalLimits,
): Promise<CheckedOriginal | undefined> {
  const key = objectKeys.original(id);
  const stored = await storage.readStart(key, SNIFF_BYTES);
  if (!stored) return undefined;
  const { start, object } = stored;

  const reject = async (code: OriginalRejectionCode, message: string): Promise<never> => {
    await storage.deleteMany([key]);
    throw new OriginalRejectedError(code, message);
  };
  // A signature binds the length, but not every S3-compatible server checks it.
  if (object.bytes > maxBytes)
    await reject("FILE_TOO_LARGE", `The file is larger than the upload limit of ${maxBytes} bytes.`);
  if (declaredBytes !== undefined && object.bytes !== declaredBytes)
    await reject(
      "SIZE_MISMATCH",
      `Storage holds ${object.bytes} bytes, not the ${declaredBytes} declared for this upload.`,
    );
  try {
    const tokenizer = rangeTokenizer({
      size: object.bytes,
      start,
      read: (offset, length) => storage.readRange(key, offset, length),
    });
    return { ...object, key, contentType: await sniffImageType(tokenizer) };
  } catch (error) {
    if (error instanceof ImageRejectedError) return reject(error.code, error.message);
    throw error;
  }
}
