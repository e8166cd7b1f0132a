import type { Locator, Page } from "@playwright/test";

declare global {
  interface Window {
    /** What the cards have shown since `watchCards`, recorded in the page. */
    seen?: { statuses: Set<string>; processing: Set<number>; shifts: { at: number; value: number }[] };
  }
}

export interface Seen {
  statuses: string[];
  processing: number[];
  /** Layout shift (summed) not caused by the user since `from`: content moving under the reader's eyes. */
  layoutShift: number;
}

/**
 * Records every status any card shows from now on, every value its
 * processing bar takes, so that brief ones are not missed between two
 * checks, and how much the layout shifts, since the page began loading.
 */
export async function watchCards(page: Page): Promise<(from?: number) => Promise<Seen>> {
  await page.evaluate(() => {
    const seen = {
      statuses: new Set<string>(),
      processing: new Set<number>(),
      shifts: [] as { at: number; value: number }[],
    };
    window.seen = seen;
    // Buffered: the shifts since the page began loading count too.
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & {
        value: number;
        hadRecentInput: boolean;
      })[])
        if (!entry.hadRecentInput) seen.shifts.push({ at: entry.startTime, value: entry.value });
    }).observe({ type: "layout-shift", buffered: true });
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
          if (!(added instanceof Element)) continue;
          note(added);
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
  return (from = 0) =>
    page.evaluate((since) => {
      const shifts = window.seen?.shifts.filter((shift) => shift.at >= since) ?? [];
      return {
        statuses: [...(window.seen?.statuses ?? [])],
        processing: [...(window.seen?.processing ?? [])],
        layoutShift: shifts.reduce((sum, shift) => sum + shift.value, 0),
      };
    }, from);
}

/** The page's clock, for `watchCards`' `from`. */
export function pageTime(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

/** The card of the file named `name`. */
export function card(page: Page, name: string): Locator {
  return page.getByTestId("upload-card").filter({ hasText: name });
}

/** The upload id behind the card of `name`, from its link to the detail page, once it is accepted. */
export async function uploadIdOf(page: Page, name: string): Promise<string> {
  const href = await card(page, name).getByRole("link", { name }).getAttribute("href");
  return href!.split("/").at(-1)!;
}

/** The image of a card, once its photo has one: decorative (`alt=""`), as the card's link names the photo. */
export function thumbnailOf(upload: Locator): Locator {
  return upload.locator("picture > img");
}

/** How many variants the API lists for a card's upload, asked with the page's own session. */
export async function variantCount(upload: Locator): Promise<number> {
  const viewer = await upload.getByRole("link").getAttribute("href");
  const response = await upload.page().request.get(`/api${viewer}`);
  return ((await response.json()) as { variants: unknown[] }).variants.length;
}

/** Opens the viewer of the card of `name`, by its link, and gives the viewer's table of variants. */
export async function openViewer(page: Page, name: string): Promise<Locator> {
  await card(page, name).getByRole("link", { name }).click();
  const variants = page.getByRole("table", { name: `Variants of ${name}` });
  await variants.waitFor();
  return variants;
}
