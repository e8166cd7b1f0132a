import sharp, { type Sharp } from "sharp";
import { rgbaToThumbHash } from "thumbhash";
import type { VariantFormat, VariantName } from "@darkroom/contracts";
import { ImageRejectedError } from "./errors";
import { decodeHeic, isHeic } from "./heic";
import { DEFAULT_IMAGING_OPTIONS, type EncoderSettings, type ImagingOptions } from "./options";

export interface RenderedVariant {
  name: VariantName;
  format: VariantFormat;
  width: number;
  height: number;
  data: Buffer;
  /**
   * The larger size these bytes were rendered for: the image was already no
   * bigger than this size, so resizing would have changed nothing and
   * encoding would have made the same bytes again. Store them once.
   */
  sameAs?: VariantName;
}

/** Every variant of one photo, and its placeholder. */
export interface RenderedPhoto {
  variants: RenderedVariant[];
  /**
   * The photo as a ThumbHash, base64: about 25 bytes that a client decodes to a
   * blurred image of the same colours and shape, to show until a variant loads.
   */
  thumbhash: string;
}

/** Decoded pixels, upright and sRGB, between the pipeline's stages. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/**
 * Renders every variant of one photo: upright, sRGB, 8-bit, with no metadata.
 *
 * The source is decoded once, straight to the largest size; each smaller size
 * is derived from the size before it, because decoding a large JPEG costs
 * more than the resizes and encodes that follow (bench/README.md, "Settings
 * the benchmark chose").
 *
 * @param onVariant called once the source is decoded, before each size is rendered.
 * @throws ImageRejectedError when the input cannot be decoded or is too large.
 */
export async function renderVariants(
  input: Buffer,
  options: ImagingOptions = DEFAULT_IMAGING_OPTIONS,
  onVariant?: (name: VariantName) => void | Promise<void>,
): Promise<RenderedVariant[]> {
  return (await renderPhoto(input, options, onVariant)).variants;
}

/**
 * As {@link renderVariants}, and the photo's ThumbHash, made in the same
 * decode from the smallest size's pixels.
 *
 * @throws ImageRejectedError when the input cannot be decoded or is too large.
 */
export async function renderPhoto(
  input: Buffer,
  options: ImagingOptions = DEFAULT_IMAGING_OPTIONS,
  onVariant?: (name: VariantName) => void | Promise<void>,
): Promise<RenderedPhoto> {
  const [largest] = options.variants;
  if (!largest) throw new Error("ImagingOptions.variants lists no size to render.");

  let current = await decodeToSize(input, largest.maxEdge, options);
  const rendered: RenderedVariant[] = [];
  let previous: RenderedVariant[] = [];
  for (const spec of options.variants) {
    await onVariant?.(spec.name);
    // Never enlarged: a size the image already fits would be the same pixels.
    // The larger size's bytes serve it, encoded with that size's settings.
    if (previous.length > 0 && Math.max(current.width, current.height) <= spec.maxEdge) {
      rendered.push(...previous.map((variant) => ({ ...variant, name: spec.name, sameAs: variant.name })));
      continue;
    }
    if (spec !== largest) current = await resizeRaw(current, spec.maxEdge);
    previous = await encodeAll(current, spec.name, options);
    rendered.push(...previous);
  }
  return { variants: rendered, thumbhash: await thumbhashOf(current) };
}

/** ThumbHash encodes at most 100×100 pixels. */
const THUMBHASH_MAX_EDGE = 100;

async function thumbhashOf(source: RawImage): Promise<string> {
  const { data, info } = await fromRaw(source)
    .resize(fitInside(THUMBHASH_MAX_EDGE))
    .toColourspace("srgb")
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString("base64");
}

/**
 * The pipeline's first stage: the input decoded, turned upright and fitted
 * to `maxEdge`. {@link renderPhoto} runs it once per photo; the stages are
 * exported for the benchmark, which times each.
 */
export async function decodeToSize(
  input: Buffer,
  maxEdge: number,
  options: ImagingOptions,
): Promise<RawImage> {
  // sharp's libvips has no HEVC decoder: a HEIC comes in as a lossless PNG of its pixels.
  const source = isHeic(input) ? await decodeHeic(input, options) : input;
  try {
    const { data, info } = await sharp(source, {
      limitInputPixels: options.maxInputPixels,
      failOn: options.failOn,
    })
      .autoOrient()
      .resize(fitInside(maxEdge))
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    throw toRejection(error);
  }
}

/** A smaller size from the size before it. */
export async function resizeRaw(source: RawImage, maxEdge: number): Promise<RawImage> {
  const { data, info } = await fromRaw(source)
    .resize(fitInside(maxEdge))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

function encodeAll(source: RawImage, name: VariantName, options: ImagingOptions): Promise<RenderedVariant[]> {
  return Promise.all(
    options.formats.map(async (format) => ({
      name,
      format,
      width: source.width,
      height: source.height,
      data: await encodeRaw(source, format, options.encoders[name]),
    })),
  );
}

/** One size in one format, with that size's settings. */
export function encodeRaw(
  source: RawImage,
  format: VariantFormat,
  settings: EncoderSettings,
): Promise<Buffer> {
  const image = fromRaw(source);
  switch (format) {
    case "jpeg":
      // JPEG has no alpha channel: flatten onto white rather than black.
      return image.flatten({ background: "#ffffff" }).jpeg(settings.jpeg).toBuffer();
    case "webp":
      return image.webp(settings.webp).toBuffer();
    case "avif":
      return image.avif(settings.avif).toBuffer();
  }
}

function fromRaw({ data, width, height, channels }: RawImage): Sharp {
  return sharp(data, { raw: { width, height, channels } });
}

function fitInside(maxEdge: number) {
  return { width: maxEdge, height: maxEdge, fit: "inside", withoutEnlargement: true } as const;
}

function toRejection(error: unknown): ImageRejectedError {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes("exceeds pixel limit")) {
    return new ImageRejectedError(
      "IMAGE_TOO_MANY_PIXELS",
      `The image has more pixels than the limit: ${message}`,
    );
  }
  if (message.includes("unsupported image format")) {
    return new ImageRejectedError(
      "UNSUPPORTED_MEDIA_TYPE",
      "The file is not an image this server can decode.",
    );
  }
  // With the whole input in memory, sharp has no I/O to fail: any other decode
  // error is the file's fault.
  return new ImageRejectedError("IMAGE_CORRUPT", `The image could not be decoded: ${message}`);
}
