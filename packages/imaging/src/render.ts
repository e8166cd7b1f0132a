import sharp, { type Sharp } from "sharp";
import type { VariantFormat, VariantName } from "@darkroom/contracts";
import { ImageRejectedError } from "./errors";
import { DEFAULT_IMAGING_OPTIONS, type ImagingOptions } from "./options";

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

interface RawImage {
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
  const [largest] = options.variants;
  if (!largest) return [];

  let current = await decodeToSize(input, largest.maxEdge, options);
  const rendered: RenderedVariant[] = [];
  let previous: RenderedVariant[] = [];
  for (const spec of options.variants) {
    await onVariant?.(spec.name);
    // Never enlarged, and every size is encoded with the same settings: a size
    // the image already fits would be the same pixels and the same bytes.
    if (previous.length > 0 && Math.max(current.width, current.height) <= spec.maxEdge) {
      rendered.push(...previous.map((variant) => ({ ...variant, name: spec.name, sameAs: variant.name })));
      continue;
    }
    if (spec !== largest) current = await resizeRaw(current, spec.maxEdge);
    previous = await encodeAll(current, spec.name, options);
    rendered.push(...previous);
  }
  return rendered;
}

async function decodeToSize(input: Buffer, maxEdge: number, options: ImagingOptions): Promise<RawImage> {
  try {
    const { data, info } = await sharp(input, {
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

async function resizeRaw(source: RawImage, maxEdge: number): Promise<RawImage> {
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
      data: await encode(fromRaw(source), format, options).toBuffer(),
    })),
  );
}

function encode(image: Sharp, format: VariantFormat, options: ImagingOptions): Sharp {
  switch (format) {
    case "jpeg":
      // JPEG has no alpha channel: flatten onto white rather than black.
      return image.flatten({ background: "#ffffff" }).jpeg({ quality: options.jpegQuality, mozjpeg: false });
    case "webp":
      return image.webp({ quality: options.webpQuality });
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
