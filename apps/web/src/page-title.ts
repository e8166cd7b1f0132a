import { useEffect } from "react";

/** Names the tab after the page open in it: "Darkroom · Queue". */
export function usePageTitle(page: string): void {
  useEffect(() => {
    document.title = `Darkroom · ${page}`;
  }, [page]);
}
