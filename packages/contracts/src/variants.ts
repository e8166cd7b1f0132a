import { z } from "zod";

export const variantFormatSchema = z.enum(["jpeg", "webp"]);
export type VariantFormat = z.infer<typeof variantFormatSchema>;

export const variantNameSchema = z.enum(["large", "medium", "thumb"]);
export type VariantName = z.infer<typeof variantNameSchema>;

export interface VariantSpec {
  name: VariantName;
  /** Longest edge in pixels. An image is never enlarged past its own size. */
  maxEdge: number;
}

/**
 * The sizes every photo is rendered to, largest first: the pipeline decodes once
 * and derives each size from the one before it.
 */
export const DEFAULT_VARIANT_SPECS: readonly VariantSpec[] = [
  { name: "large", maxEdge: 2048 },
  { name: "medium", maxEdge: 1280 },
  { name: "thumb", maxEdge: 320 },
];

export const DEFAULT_VARIANT_FORMATS: readonly VariantFormat[] = ["jpeg", "webp"];

export const FORMAT_EXTENSIONS: Record<VariantFormat, string> = { jpeg: "jpg", webp: "webp" };
export const FORMAT_MIME_TYPES: Record<VariantFormat, string> = {
  jpeg: "image/jpeg",
  webp: "image/webp",
};
