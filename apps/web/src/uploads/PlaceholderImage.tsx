import { useMemo, useState } from "react";
import { thumbHashToDataURL } from "thumbhash";
import styles from "./PlaceholderImage.module.css";

interface PlaceholderImageProps {
  src: string;
  width: number;
  height: number;
  alt: string;
  className: string | undefined;
  /** The upload's ThumbHash; uploads completed before placeholders have none. */
  thumbhash: string | undefined;
}

/**
 * An image that shows its upload's ThumbHash, blurred, until it has loaded.
 * The placeholder is laid over the image's box, out of the flow, so nothing
 * moves when the image arrives: the parent must be `position: relative` and
 * give the image its size. Without a thumbhash, the box's own background
 * shows, as it always has. The placeholder is a `data:` PNG, which the page's
 * Content-Security-Policy already allows for images (`img-src data:`, for the
 * inline favicon).
 */
export function PlaceholderImage({ thumbhash, className, ...image }: PlaceholderImageProps) {
  const [loaded, setLoaded] = useState(false);
  const placeholder = useMemo(() => thumbhash && placeholderUrl(thumbhash), [thumbhash]);
  return (
    <>
      <img className={className} {...image} onLoad={() => setLoaded(true)} />
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
