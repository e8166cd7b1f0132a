import { useEffect, useRef } from "react";
import { describeError } from "./describe";
import styles from "./Gallery.module.css";
import { UploadCard } from "./UploadCard";
import { useUploads } from "./UploadsProvider";

/** About the first screen's tiles on a wide screen: their images load at once, the rest as they come near. */
const EAGER_TILES = 12;

/**
 * The photos as a grid of tiles, newest first: those added here on top,
 * with their live progress, then the gallery the server lists, a page at a
 * time. The next page is listed as the end of the grid comes near the
 * screen, or when its button is pressed (by keyboard, say).
 */
export function Gallery() {
  const { items, listing, listFirstPage, listMore } = useUploads();
  const more = useRef<HTMLButtonElement>(null);

  useEffect(listFirstPage, [listFirstPage]);

  useEffect(() => {
    const button = more.current;
    if (!button || listing.loading || listing.error) return;
    const observer = new IntersectionObserver(
      (entries) => entries.some((entry) => entry.isIntersecting) && listMore(),
      { rootMargin: "0px 0px 25% 0px" },
    );
    observer.observe(button);
    return () => observer.disconnect();
  }, [listing.more, listing.loading, listing.error, listMore]);

  return (
    <section className={styles.gallery} aria-label="Photos">
      {items.length > 0 && (
        <ul className={styles.grid} aria-label="Uploads">
          {items.map((item, index) => (
            <UploadCard key={item.key} upload={item} eager={index < EAGER_TILES} />
          ))}
        </ul>
      )}
      {listing.error && (
        <p className={styles.notice} role="status">
          Earlier uploads could not be loaded. {describeError(listing.error)}
        </p>
      )}
      {listing.more && (
        <button
          ref={more}
          type="button"
          className={styles.more}
          onClick={listMore}
          disabled={listing.loading}
        >
          {listing.loading ? "Loading…" : "Show more photos"}
        </button>
      )}
    </section>
  );
}
