import type { Variant, VariantName } from "@darkroom/contracts";
import { useMemo, useState } from "react";
import { thumbHashToDataURL } from "thumbhash";
import { pictureSources } from "./picture-sources";
import styles from "./VariantPicture.module.css";

interface VariantPictureProps {
  variants: readonly Variant[];
  /** The sizes the browser may choose from. */
  names: readonly VariantName[];
  /** The `sizes` attribute, given the image's width over its height: how wide it is shown. */
  sizes: (aspect: number) => string;
  alt: string;
  className: string | undefined;
  /** `lazy` below the fold: the browser fetches it as it comes near the screen. */
  loading: "eager" | "lazy";
  /** The upload's ThumbHash; uploads completed before placeholders have none. */
  thumbhash: string | undefined;
}

/**
 * An upload's image as a `<picture>`: each format a `<source>` (AVIF or WebP
 * where the browser has them), JPEG for the rest, each with every size in
 * `names`, so the browser fetches the smallest that is sharp on its screen.
 * Its `width` and `height` reserve its box before it loads.
 *
 * Until it has loaded, the upload's ThumbHash, blurred, lies over the
 * image's box, out of the flow, so nothing moves when the image arrives: the
 * parent must be `position: relative` and give the image its size. Without a
 * thumbhash, the box's own background shows. The placeholder is a `data:`
 * PNG, which the page's Content-Security-Policy allows for images
 * (`img-src data:`, for the inline favicon).
 */
export function VariantPicture({
  variants,
  names,
  sizes,
  thumbhash,
  loading,
  ...image
}: VariantPictureProps) {
  const [loaded, setLoaded] = useState(false);
  const placeholder = useMemo(() => thumbhash && placeholderUrl(thumbhash), [thumbhash]);
  const picture = pictureSources(variants, names);
  if (!picture) return null;
  const { src, srcSet, width, height } = picture.img;
  const shownAt = sizes(width / height);
  return (
    <>
      <picture>
        {picture.sources.map((source) => (
          <source key={source.type} type={source.type} srcSet={source.srcSet} sizes={shownAt} />
        ))}
        {/* `loading` before `src`: a browser that saw the source first would fetch it at once. */}
        <img
          loading={loading}
          decoding="async"
          sizes={shownAt}
          srcSet={srcSet}
          src={src}
          width={width}
          height={height}
          {...image}
          onLoad={() => setLoaded(true)}
        />
      </picture>
      {placeholder && !loaded && (
        <img className={styles.placeholder} src={placeholder} alt="" data-testid="placeholder" />
      )}
    </>
  );
}

/** A small PNG of the ThumbHash (at most 32 px on its longest edge), stretched over the box by CSS. */
function placeholderUrl(thumbhash: string): string | undefined {
  try {
    return thumbHashToDataURL(Uint8Array.from(atob(thumbhash), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
