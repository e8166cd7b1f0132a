import { useLayoutEffect } from "react";
import { NavigationType, useLocation, useNavigationType } from "react-router";

/** Where each history entry was scrolled to when it was left, by its key. */
const scrolledTo = new Map<string, number>();

/**
 * Scrolls as a browser does between documents: a page opened by a link
 * starts at its top, and one come back to with Back or Forward where it was
 * left. The gallery is still there when it is come back to (its uploads live
 * above the pages), so its place can be restored before the first paint.
 * `BrowserRouter` has no scroll restoration of its own (only data routers do).
 */
export function useScrollRestoration(): void {
  const { key } = useLocation();
  const navigation = useNavigationType();

  useLayoutEffect(() => {
    window.history.scrollRestoration = "manual";
  }, []);

  useLayoutEffect(() => {
    window.scrollTo(0, navigation === NavigationType.Pop ? (scrolledTo.get(key) ?? 0) : 0);
    // Noted as it changes: by the time the entry is left, the next page may already be in its place.
    const note = () => void scrolledTo.set(key, window.scrollY);
    window.addEventListener("scroll", note, { passive: true });
    return () => window.removeEventListener("scroll", note);
  }, [key, navigation]);
}
