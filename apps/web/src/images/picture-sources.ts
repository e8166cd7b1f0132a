import { FORMAT_MIME_TYPES, type Variant, type VariantFormat, type VariantName } from "@darkroom/contracts";

/** One `<source>` of a `<picture>`: the sizes of one format, for browsers that decode it. */
export interface PictureSource {
  type: string;
  srcSet: string;
}

/** What a `<picture>` of an upload's variants needs: its sources, and the `<img>` every browser can show. */
export interface PictureSources {
  sources: PictureSource[];
  img: { src: string; srcSet: string; width: number; height: number };
}

/**
 * The formats a `<source>` offers, most efficient first: a browser takes the
 * first one whose type it decodes. AVIF goes before WebP whenever a snapshot
 * has it; a format not named here goes after them.
 */
const SOURCE_ORDER: readonly string[] = ["avif", "webp"];

/** What every browser decodes: the `<img>` itself, and the size its `width`/`height` give. */
const FALLBACK_FORMAT: VariantFormat = "jpeg";

/**
 * A `<picture>` of the sizes `names` of an upload, each format a `srcset` by
 * width: the browser picks the size from `sizes` and the screen's density,
 * and the format from the `<source>` types. A size that is the same image as
 * a larger one (a small photo: same URL, same width) is offered once.
 * `undefined` while the upload has none of these sizes.
 */
export function pictureSources(
  variants: readonly Variant[],
  names: readonly VariantName[],
): PictureSources | undefined {
  const byFormat = new Map<VariantFormat, Variant[]>();
  for (const variant of variants) {
    if (!names.includes(variant.name)) continue;
    const sizes = byFormat.get(variant.format) ?? [];
    if (!sizes.some((size) => size.url === variant.url || size.width === variant.width)) sizes.push(variant);
    byFormat.set(variant.format, sizes);
  }
  const fallback = byFormat.get(FALLBACK_FORMAT) ?? [...byFormat.values()][0];
  if (!fallback) return undefined;
  const srcSet = (sizes: Variant[]) =>
    [...sizes]
      .sort((a, b) => a.width - b.width)
      .map((size) => `${size.url} ${size.width}w`)
      .join(", ");
  const rank = (format: VariantFormat) => {
    const index = SOURCE_ORDER.indexOf(format);
    return index === -1 ? SOURCE_ORDER.length : index;
  };
  const sources = [...byFormat]
    .filter(([, sizes]) => sizes !== fallback)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([format, sizes]) => ({
      type: FORMAT_MIME_TYPES[format],
      srcSet: srcSet(sizes),
    }));
  const largest = fallback.reduce((a, b) => (b.width > a.width ? b : a));
  const smallest = fallback.reduce((a, b) => (b.width < a.width ? b : a));
  return {
    sources,
    img: { src: smallest.url, srcSet: srcSet(fallback), width: largest.width, height: largest.height },
  };
}
