import {
  DEFAULT_VARIANT_FORMATS,
  DEFAULT_VARIANT_SPECS,
  variantFormatSchema,
  type VariantFormat,
  type VariantName,
  type VariantSpec,
} from "@darkroom/contracts";
import type { AvifOptions, JpegOptions, WebpOptions } from "sharp";
import { z } from "zod";

/** How one size is encoded to each format: sharp's own options. */
export interface EncoderSettings {
  jpeg: JpegOptions;
  webp: WebpOptions;
  avif: AvifOptions;
}

/** Limits and outputs of the pipeline. One object, so every caller applies the same rules. */
export interface ImagingOptions {
  /**
   * Images with more pixels than this are rejected from their header, before
   * any pixel is decoded: a decompression bomb never reaches memory.
   * @defaultValue 100_000_000 (100 MP)
   */
  maxInputPixels: number;
  /**
   * How strict decoding is. `error` rejects truncated and corrupt files rather
   * than rendering a grey half-image.
   * @defaultValue "error"
   */
  failOn: "error" | "warning" | "truncated";
  /**
   * Sizes to render, largest first.
   * @defaultValue large 2048, medium 1280, thumb 320 (longest edge)
   */
  variants: readonly VariantSpec[];
  /**
   * Formats each size is encoded to.
   * @defaultValue ["jpeg", "webp"]
   */
  formats: readonly VariantFormat[];
  /**
   * The encoder settings of each size. A size the image already fits is not
   * encoded again: it shares the larger size's bytes, made with that size's settings.
   * @defaultValue {@link DEFAULT_ENCODERS}
   */
  encoders: Readonly<Record<VariantName, EncoderSettings>>;
}

/*
 * Chosen by measurement against the settings before them (libvips' defaults
 * at quality 80, WebP at effort 4), side by side in the raw imaging baseline
 * of `pnpm bench`: bench/README.md, "Encoder settings". In short: WebP's
 * effort 4 was 60 % of a photo's CPU, and effort 0 gives the same SSIM for a
 * quarter of it; the thumb keeps effort 4, about 10 ms, being the image shown
 * most. AVIF at effort 0 (aom's fastest) with its quality per size set to
 * about the SSIM of the WebP beside it.
 */
const JPEG: JpegOptions = { quality: 80 };
const avif = (quality: number): AvifOptions => ({ quality, effort: 0, chromaSubsampling: "4:2:0" });

export const DEFAULT_ENCODERS: Readonly<Record<VariantName, EncoderSettings>> = {
  large: { jpeg: JPEG, webp: { quality: 80, effort: 0 }, avif: avif(60) },
  medium: { jpeg: JPEG, webp: { quality: 80, effort: 0 }, avif: avif(65) },
  thumb: { jpeg: JPEG, webp: { quality: 80, effort: 4 }, avif: avif(70) },
};

export const DEFAULT_IMAGING_OPTIONS: ImagingOptions = {
  maxInputPixels: 100_000_000,
  failOn: "error",
  variants: DEFAULT_VARIANT_SPECS,
  formats: DEFAULT_VARIANT_FORMATS,
  encoders: DEFAULT_ENCODERS,
};

/**
 * `jpeg,webp` with optional extras: every client can rely on a JPEG and a WebP
 * of each size, so neither may be left out.
 */
const formatsSchema = z
  .string()
  .transform((list) => list.split(",").map((format) => format.trim().toLowerCase()))
  .pipe(z.array(variantFormatSchema))
  .refine((formats) => DEFAULT_VARIANT_FORMATS.every((format) => formats.includes(format)), {
    message: `must include ${DEFAULT_VARIANT_FORMATS.join(" and ")}`,
  })
  // One order whatever the list's: the variants of every photo come in the same order.
  .transform((formats) => variantFormatSchema.options.filter((format) => formats.includes(format)));

/** The imaging settings an app reads from its environment. Compose it into the app's `env.ts`. */
export const imagingEnvSchema = z.object({
  /** @defaultValue 100000000 */
  IMAGING_MAX_INPUT_PIXELS: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_IMAGING_OPTIONS.maxInputPixels),
  /**
   * The formats of every size, comma-separated: `jpeg,webp`, and `avif` to
   * add an AVIF of each (about 0.5 s more CPU per 12 MP photo: bench/README.md).
   * @defaultValue "jpeg,webp"
   */
  IMAGING_FORMATS: formatsSchema.default([...DEFAULT_VARIANT_FORMATS]),
});

export function imagingOptionsFromEnv(env: z.infer<typeof imagingEnvSchema>): ImagingOptions {
  return {
    ...DEFAULT_IMAGING_OPTIONS,
    maxInputPixels: env.IMAGING_MAX_INPUT_PIXELS,
    formats: env.IMAGING_FORMATS,
  };
}
