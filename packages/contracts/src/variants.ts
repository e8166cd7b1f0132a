import { z } from "zod";

/**
 * The formats a size is encoded to. Every photo has a JPEG and a WebP of each
 * size; a server started with `IMAGING_FORMATS=jpeg,webp,avif` adds an AVIF.
 */
export const variantFormatSchema = z.enum(["jpeg", "webp", "avif"]);
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

/**
 * The formats of every size unless AVIF is on: a photo's variants are each
 * size in each format, six by default, nine with AVIF.
 */
export const DEFAULT_VARIANT_FORMATS: readonly VariantFormat[] = ["jpeg", "webp"];

export const FORMAT_EXTENSIONS: Record<VariantFormat, string> = { jpeg: "jpg", webp: "webp", avif: "avif" };
export const FORMAT_MIME_TYPES: Record<VariantFormat, string> = {
  jpeg: "image/jpeg",
  webp: "image/webp",
  avif: "image/avif",
};
