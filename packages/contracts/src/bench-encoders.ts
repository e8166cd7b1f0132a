import { z } from "zod";
import { variantFormatSchema, variantNameSchema } from "./variants";

/** One set of encoder settings, measured on one kind of photo. */
export const encoderSettingsResultSchema = z.object({
  /** `before` (the comparison point), `chosen` (the pipeline's defaults), `chosen + AVIF`. */
  settings: z.string(),
  /** CPU time of the whole pipeline (`renderPhoto`) per photo, every thread of the process, ms: the median of every render. */
  cpuMs: z.number(),
  /** Its wall time per photo, one photo at a time, ms: the median. */
  wallMs: z.number(),
  /** Every variant of a photo together, bytes: the mean over the photos. */
  bytes: z.number(),
  /**
   * CPU time of each stage run alone, one after the other, ms: the median per
   * photo. `decode` (decoded and fitted to the largest size), `resize medium`,
   * `large webp`, and so on.
   */
  stages: z.record(z.string(), z.number()),
  /** Each variant: its bytes and its SSIM against the pixels it was encoded from, both means over the photos. */
  variants: z.array(
    z.object({ name: variantNameSchema, format: variantFormatSchema, bytes: z.number(), ssim: z.number() }),
  ),
});
export type EncoderSettingsResult = z.infer<typeof encoderSettingsResultSchema>;

/**
 * The raw imaging baseline's comparison of encoder settings: the same photos
 * rendered with each set of settings in turn, in one run, so that the ratios
 * between them hold on a shared machine. The first set is the comparison point.
 */
export const encoderComparisonSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Each photo was rendered this many times with each set of settings. */
  rounds: z.number().int().positive(),
  photoSets: z.array(
    z.object({
      /** What the photos are: `noise` (the benchmark's own), `texture` (smoother, at several scales). */
      kind: z.string(),
      photos: z.number().int().positive(),
      results: z.array(encoderSettingsResultSchema).min(1),
    }),
  ),
});
export type EncoderComparison = z.infer<typeof encoderComparisonSchema>;
