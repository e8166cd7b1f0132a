import { createRequire } from "node:module";
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { ImageRejectedError } from "./errors";
import { readHeifPrimary, type HeifPrimary } from "./heif-boxes";
import type { ImagingOptions } from "./options";

/** HEIF brands whose images are HEVC-coded: HEIC, as iPhones write it, and its image sequences. */
const HEVC_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"]);

/**
 * Whether the input is HEVC-coded HEIF, which sharp's prebuilt libvips cannot
 * decode (it has no HEVC decoder). AVIF, the same container with AV1, is
 * left to sharp.
 */
export function isHeic(input: Uint8Array): boolean {
  if (input.byteLength < 16) return false;
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const size = view.getUint32(0);
  if (latin1(input, 4, 8) !== "ftyp" || size < 16 || size > input.byteLength) return false;
  // The major brand, then the compatible brands after the minor version.
  const brands = [latin1(input, 8, 12)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(latin1(input, at, at + 4));
  return brands.some((brand) => HEVC_BRANDS.has(brand)) && !brands.includes("avif");
}

/**
 * Decodes a HEIC's primary image (the one a burst or a Live Photo shows)
 * with libheif and libde265 compiled to WebAssembly, and hands it on as a
 * lossless PNG that the rest of the pipeline treats like any upload:
 *
 * - its size, from the file's boxes, is checked against the pixel limit
 *   before anything is decoded;
 * - libheif applies the `irot`/`imir` transforms; when there are none, the
 *   EXIF orientation rides along in the PNG for the pipeline's auto-orient,
 *   so that a photo is turned exactly once either way;
 * - its ICC profile (an iPhone's Display P3) rides along too, so that the
 *   pipeline converts to sRGB as it does for a JPEG with a profile.
 *
 * @throws ImageRejectedError when the file is too large, truncated or corrupt.
 */
export async function decodeHeic(input: Buffer, options: ImagingOptions): Promise<Buffer> {
  const primary = readPrimary(input);
  if (primary.width * primary.height > options.maxInputPixels) {
    throw new ImageRejectedError(
      "IMAGE_TOO_MANY_PIXELS",
      `The image has more pixels than the limit: its header declares ${primary.width} × ${primary.height}, over ${options.maxInputPixels}.`,
    );
  }
  // libvips reads the HEIF container (not the HEVC stream): the profile and EXIF as it keeps them.
  const { icc, exif } = await sharp(input)
    .metadata()
    .catch((error: unknown) => {
      throw corrupt(error);
    });
  const { pixels, width, height, hasAlpha } = await decodePrimary(input);
  // libheif gives RGBA whether or not the image has alpha.
  const rgba = sharp(pixels, { raw: { width, height, channels: 4 } });
  const png = await (hasAlpha ? rgba : rgba.removeAlpha())
    .png({ compressionLevel: 0, adaptiveFiltering: false })
    .toBuffer();
  const exifTiff = exif && !primary.transformed ? tiffOfExif(exif) : undefined;
  return withChunks(png, [
    ...(icc ? [pngChunk("iCCP", Buffer.concat([Buffer.from("icc\0\0", "latin1"), deflateSync(icc)]))] : []),
    ...(exifTiff ? [pngChunk("eXIf", exifTiff)] : []),
  ]);
}

function readPrimary(input: Buffer): HeifPrimary {
  let primary: HeifPrimary | undefined;
  try {
    primary = readHeifPrimary(input);
  } catch {
    // A box that says it runs past its parent: the file is cut or damaged.
  }
  if (!primary) throw corrupt("its boxes do not describe a primary image (truncated?)");
  return primary;
}

interface LibHeifError {
  code: unknown;
  message: string;
}

/** The part of libheif-js's embind API used here. */
interface LibHeif {
  heif_error_code: { heif_error_Ok: unknown };
  heif_colorspace: { heif_colorspace_RGB: unknown };
  heif_chroma: { heif_chroma_interleaved_RGBA: unknown };
  heif_context_alloc(): unknown;
  heif_context_free(context: unknown): void;
  heif_context_read_from_memory(context: unknown, data: Uint8Array): LibHeifError;
  heif_js_context_get_primary_image_handle(context: unknown): unknown;
  heif_image_handle_has_alpha_channel(handle: unknown): number;
  heif_image_handle_release(handle: unknown): void;
  heif_js_decode_image2(
    handle: unknown,
    colorspace: unknown,
    chroma: unknown,
  ): Promise<
    | {
        image: unknown;
        width: number;
        height: number;
        channels: { width: number; height: number; stride: number; data: Uint8Array }[];
      }
    | (LibHeifError & { channels?: undefined })
  >;
  heif_image_release(image: unknown): void;
}

/**
 * A new libheif for each decode. Its WebAssembly memory grows to the largest
 * image it has decoded and is never given back: one instance kept per render
 * thread would hold that much in every thread. Instantiating one takes about
 * 12 ms (bench/README.md, "HEIC against JPEG"); a decode takes over a second.
 * A decode that trapped leaves nothing behind for the next, either.
 */
function createLibHeif(): LibHeif {
  const instantiate = createRequire(import.meta.url)(
    "libheif-js/libheif-wasm/libheif-bundle.js",
  ) as () => LibHeif;
  return instantiate();
}

async function decodePrimary(input: Buffer) {
  const heif = createLibHeif();
  const context = heif.heif_context_alloc();
  let handle: unknown;
  try {
    const read = heif.heif_context_read_from_memory(context, input);
    if (read.code !== heif.heif_error_code.heif_error_Ok) throw corrupt(read.message);
    handle = heif.heif_js_context_get_primary_image_handle(context);
    if (!handle || (handle as Partial<LibHeifError>).code) throw corrupt("it has no primary image");
    const hasAlpha = heif.heif_image_handle_has_alpha_channel(handle) === 1;
    const decoded = await heif.heif_js_decode_image2(
      handle,
      heif.heif_colorspace.heif_colorspace_RGB,
      heif.heif_chroma.heif_chroma_interleaved_RGBA,
    );
    if (!decoded.channels) throw corrupt(decoded.message);
    try {
      const [plane] = decoded.channels;
      if (!plane) throw corrupt("the decoder gave no pixels");
      const rowBytes = plane.width * 4;
      // Copied out of the decoder's memory, row by row where rows are padded.
      const pixels = Buffer.alloc(rowBytes * plane.height);
      for (let row = 0; row < plane.height; row++) {
        pixels.set(plane.data.subarray(row * plane.stride, row * plane.stride + rowBytes), row * rowBytes);
      }
      return { pixels, width: plane.width, height: plane.height, hasAlpha };
    } finally {
      heif.heif_image_release(decoded.image);
    }
  } finally {
    if (handle) heif.heif_image_handle_release(handle);
    heif.heif_context_free(context);
  }
}

/** The TIFF structure of an EXIF block, as a PNG's `eXIf` chunk holds it: without the `Exif\0\0` prefix. */
function tiffOfExif(exif: Buffer): Buffer | undefined {
  const start = exif.subarray(0, 6).toString("latin1") === "Exif\0\0" ? 6 : 0;
  const tiff = exif.subarray(start);
  const order = tiff.subarray(0, 2).toString("latin1");
  return order === "II" || order === "MM" ? tiff : undefined;
}

/** Inserts chunks right after IHDR (8-byte signature, then IHDR's 25 bytes), where iCCP must come. */
function withChunks(png: Buffer, chunks: Buffer[]): Buffer {
  return chunks.length ? Buffer.concat([png.subarray(0, 33), ...chunks, png.subarray(33)]) : png;
}

/** A PNG chunk: length, type, data, and the CRC of type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.byteLength);
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("latin1");
}

function corrupt(reason: unknown): ImageRejectedError {
  const message = reason instanceof Error ? reason.message : String(reason);
  return new ImageRejectedError("IMAGE_CORRUPT", `The HEIC image could not be decoded: ${message.trim()}`);
}
