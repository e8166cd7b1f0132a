import type { Locator, Page } from "@playwright/test";

declare global {
  interface Window {
    /** What the cards have shown since `watchCards`, recorded in the page. */
    seen?: { statuses: Set<string>; processing: Set<number> };
  }
}

/**
 * Records every status any card shows from now on, and every value its
 * processing bar takes, so that brief ones are not missed between two checks.
 */
export async function watchCards(
  page: Page,
): Promise<() => Promise<{ statuses: string[]; processing: number[] }>> {
  await page.evaluate(() => {
    const seen = { statuses: new Set<string>(), processing: new Set<number>() };
    window.seen = seen;
    const note = (element: Element) => {
      const status = element.getAttribute("data-status");
      if (status) seen.statuses.add(status);
      const label = element.getAttribute("aria-label") ?? "";
      const value = element.getAttribute("aria-valuenow");
      if (label.startsWith("Processing of") && value !== null) seen.processing.add(Number(value));
    };
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.target instanceof Element) note(record.target);
        for (const added of record.addedNodes) {
          if (added instanceof Element)
            added.querySelectorAll("[data-status], [aria-valuenow]").forEach(note);
        }
      }
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["data-status", "aria-valuenow"],
    });
  });
  return () =>
    page.evaluate(() => ({
      statuses: [...(window.seen?.statuses ?? [])],
      processing: [...(window.seen?.processing ?? [])],
    }));
}

/** The card of the file named `name`. */
export function card(page: Page, name: string): Locator {
  return page.getByTestId("upload-card").filter({ hasText: name });
}
