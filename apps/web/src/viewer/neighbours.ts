import { useEffect, useRef } from "react";
import { useNavigate } from "react-router";
import { useUploads } from "../uploads/UploadsProvider";

export interface Neighbours {
  /** The upload shown before it in the gallery (newer), if any. */
  previous: string | undefined;
  /** The upload shown after it (older), if any. */
  next: string | undefined;
}

/**
 * The photos before and after `id` in the gallery, and the arrow keys to go
 * to them. The last photo listed lists the gallery's next page, so Next goes
 * on past it; a photo opened by its address lists the first page, and has
 * neighbours if it is among them. Going to a neighbour replaces the entry in
 * the history: Back returns to the gallery, not through every photo seen.
 */
export function useNeighbours(id: string): Neighbours {
  const { items, listing, listFirstPage, listMore } = useUploads();
  const navigate = useNavigate();
  const ids = items.flatMap((item) => (item.phase === "processing" ? [item.snapshot.id] : []));
  const at = ids.indexOf(id);
  const previous = at > 0 ? ids[at - 1] : undefined;
  const next = at === -1 ? undefined : ids[at + 1];
  const last = at !== -1 && next === undefined;

  useEffect(listFirstPage, [listFirstPage]);
  useEffect(() => {
    if (last && listing.more) listMore();
  }, [last, listing.more, listMore]);

  // A key pressed again before the page has caught up goes on from where the one before went.
  const gallery = useRef({ ids, at: id });
  useEffect(() => {
    gallery.current = { ids, at: id };
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (
        event.target instanceof Element &&
        event.target.closest("input, select, textarea, [contenteditable]")
      )
        return;
      const step = event.key === "ArrowLeft" ? -1 : event.key === "ArrowRight" ? 1 : 0;
      const { ids: listed, at: current } = gallery.current;
      const at = listed.indexOf(current);
      const to = step !== 0 && at !== -1 ? listed[at + step] : undefined;
      if (!to) return;
      event.preventDefault();
      gallery.current = { ids: listed, at: to };
      void navigate(`/uploads/${to}`, { replace: true });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate]);

  return { previous, next };
}
