import { fileTypeFromBuffer, fileTypeFromTokenizer } from "file-type";
import { open } from "node:fs/promises";
import { fromBuffer, type IRandomAccessTokenizer } from "strtok3";
import { ImageRejectedError } from "./errors";
import { rangeTokenizer } from "./range-tokenizer";
import { cameraRawOf, isTiffHead } from "./tiff";

/**
 * How many leading bytes identify every accepted format but TIFF, whose
 * first directory may lie anywhere in the file (most writers put it last).
 */
export const SNIFF_BYTES = 4100;

export const ACCEPTED_MIME_TYPES: ReadonlySet<string> = new Set([
  "image/jpeg",
  "image/png",
  "image/webp",
  "image/avif",
  "image/gif",
  "image/tiff",
  // HEVC-coded, as iPhones write them: decoded by libheif (see heic.ts); AVIF stays sharp's.
  "image/heic",
  "image/heif",
]);

/** Camera RAW formats that are TIFF (or TIFF-like) inside, by the type `file-type` gives them. */
const CAMERA_RAW_NAMES: Record<string, string> = {
  "image/x-canon-cr2": "Canon CR2",
  "image/x-canon-cr3": "Canon CR3",
  "image/x-nikon-nef": "Nikon NEF",
  "image/x-sony-arw": "Sony ARW",
  "image/x-adobe-dng": "Adobe DNG",
  "image/x-olympus-orf": "Olympus ORF",
  "image/x-panasonic-rw2": "Panasonic RW2",
  "image/x-fujifilm-raf": "Fujifilm RAF",
};

/**
 * Identifies an image from its bytes, never from its name or declared
 * Content-Type, which the client controls. Every format but TIFF is known
 * from its first {@link SNIFF_BYTES} bytes; a TIFF is followed to its first
 * directory, wherever it lies, to tell it from a camera RAW file.
 *
 * @param source the whole file in memory, or a random-access tokenizer over it
 *   (a file on disk, or ranged reads of a stored object: see `rangeTokenizer`).
 * @throws ImageRejectedError when the bytes are not an accepted image.
 */
export async function sniffImageType(source: Uint8Array | IRandomAccessTokenizer): Promise<string> {
  const tokenizer = source instanceof Uint8Array ? fromBuffer(source) : source;
  const head = new Uint8Array(Math.min(SNIFF_BYTES, tokenizer.fileInfo.size ?? SNIFF_BYTES));
  const length = await tokenizer.peekBuffer(head, { position: 0, mayBeLess: true });
  if (length === 0) throw new ImageRejectedError("EMPTY_FILE", "The file is empty.");
  if (!isTiffHead(head)) return verdict((await fileTypeFromBuffer(head.subarray(0, length)))?.mime);

  const detected = (await fileTypeFromTokenizer(tokenizer))?.mime;
  if (detected !== "image/tiff") return verdict(detected);
  const raw = await cameraRawOf(tokenizer);
  if (raw) throw cameraRawRejection(raw);
  return detected;
}

/**
 * The early check on the first bytes of a stream still arriving: rejects
 * whatever they already rule out, so that a client sending a large file of
 * the wrong kind is stopped at once. A TIFF passes, pending
 * {@link sniffImageFile} once the whole file is there.
 * @returns the type the head shows.
 */
export async function sniffImageHead(head: Uint8Array): Promise<string> {
  if (head.byteLength > 0 && isTiffHead(head)) {
    // A CR2 says so in its header; other camera RAW files only in their directory.
    const detected = (await fileTypeFromBuffer(head))?.mime;
    if (detected && CAMERA_RAW_NAMES[detected]) return verdict(detected);
    return "image/tiff";
  }
  return sniffImageType(head);
}

/**
 * {@link sniffImageType} of a file on disk, reading only the bytes it needs,
 * within the same budget as a stored object's ranged reads: every upload
 * mode gives a file the same verdict.
 */
export async function sniffImageFile(path: string): Promise<string> {
  const file = await open(path);
  try {
    const { size } = await file.stat();
    return await sniffImageType(
      rangeTokenizer({
        size,
        read: async (offset, length) => {
          const bytes = new Uint8Array(length);
          const { bytesRead } = await file.read(bytes, 0, length, offset);
          return bytes.subarray(0, bytesRead);
        },
      }),
    );
  } finally {
    await file.close();
  }
}

function verdict(mime: string | undefined): string {
  // An animated PNG is a PNG; like a GIF, its first frame is what gets rendered.
  if (mime === "image/apng") return "image/png";
  if (mime && ACCEPTED_MIME_TYPES.has(mime)) return mime;
  const raw = mime && CAMERA_RAW_NAMES[mime];
  if (raw) throw cameraRawRejection(raw);
  throw new ImageRejectedError(
    "UNSUPPORTED_MEDIA_TYPE",
    `The file is ${mime ?? "not an image"}; send JPEG, PNG, WebP, AVIF, GIF, TIFF or HEIC.`,
  );
}

function cameraRawRejection(name: string): ImageRejectedError {
  return new ImageRejectedError(
    "UNSUPPORTED_MEDIA_TYPE",
    `The file is a camera RAW image (${name}), which is not supported: export it as JPEG or TIFF first.`,
  );
}
