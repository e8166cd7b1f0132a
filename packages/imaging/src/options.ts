import {
  DEFAULT_VARIANT_FORMATS,
  DEFAULT_VARIANT_SPECS,
  type VariantFormat,
  type VariantSpec,
} from "@darkroom/contracts";
import { z } from "zod";

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
  /** @defaultValue 80 */
  jpegQuality: number;
  /** @defaultValue 80 */
  webpQuality: number;
}

export const DEFAULT_IMAGING_OPTIONS: ImagingOptions = {
  maxInputPixels: 100_000_000,
  failOn: "error",
  variants: DEFAULT_VARIANT_SPECS,
  formats: DEFAULT_VARIANT_FORMATS,
  jpegQuality: 80,
  webpQuality: 80,
};

/** The imaging settings an app reads from its environment. Compose it into the app's `env.ts`. */
export const imagingEnvSchema = z.object({
  /** @defaultValue 100000000 */
  IMAGING_MAX_INPUT_PIXELS: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_IMAGING_OPTIONS.maxInputPixels),
});

export function imagingOptionsFromEnv(env: z.infer<typeof imagingEnvSchema>): ImagingOptions {
  return { ...DEFAULT_IMAGING_OPTIONS, maxInputPixels: env.IMAGING_MAX_INPUT_PIXELS };
}
