import { noisyPhoto } from "@darkroom/imaging/testing";
import { expect, test, type Page } from "@playwright/test";

declare global {
  interface Window {
    /** Every `data-status` a card has shown, recorded in the page. */
    statusesSeen?: Set<string>;
  }
}

/** Records each status any card shows from now on, so brief ones are not missed between two checks. */
async function recordStatuses(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen = new Set<string>();
    window.statusesSeen = seen;
    const note = (element: Element) => {
      const status = element.getAttribute("data-status");
      if (status) seen.add(status);
    };
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.target instanceof Element) note(record.target);
        for (const added of record.addedNodes) {
          if (added instanceof Element) added.querySelectorAll("[data-status]").forEach(note);
        }
      }
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["data-status"],
    });
  });
  return () => page.evaluate(() => [...(window.statusesSeen ?? [])]);
}

test("uploads several photos in queued mode and shows each one's thumbnail", async ({ page }, testInfo) => {
  const photos = await Promise.all(
    [1, 2, 3].map(async (seed) => ({
      name: `photo-${seed}.jpg`,
      mimeType: "image/jpeg",
      buffer: await noisyPhoto(2400, 1600, seed),
    })),
  );
  await page.goto("/");
  const statusesSeen = await recordStatuses(page);

  await page.getByLabel("Choose photos").setInputFiles(photos);

  const cards = page.getByTestId("upload-card");
  await expect(cards).toHaveCount(photos.length);
  for (const [index, photo] of photos.entries()) {
    const card = cards.nth(index);
    await expect(card).toContainText(photo.name);
    await expect(card).toHaveAttribute("data-status", "completed", { timeout: 45_000 });
    await expect(card.getByText("Done")).toBeVisible();

    const thumbnail = card.getByRole("img", { name: `${photo.name} thumbnail` });
    await expect(thumbnail).toBeVisible();
    await expect
      .poll(() => thumbnail.evaluate((image: HTMLImageElement) => image.naturalWidth))
      .toBeGreaterThan(0);
    await expect(card.getByRole("link")).toHaveCount(6);
    await expect(card.getByRole("link", { name: /thumb 320×213 px, WebP \d+ KB/ })).toBeVisible();
  }
  expect(await statusesSeen()).toEqual(expect.arrayContaining(["uploading", "active", "completed"]));

  await page.screenshot({ path: testInfo.outputPath("upload-page.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: testInfo.outputPath("upload-page-phone.png"), fullPage: true });
});

test("a text file named .jpg is rejected with a clear message", async ({ page }) => {
  await page.goto("/");

  await page.getByLabel("Choose photos").setInputFiles({
    name: "holiday-notes.jpg",
    mimeType: "image/jpeg",
    buffer: Buffer.from("Day 1: rain. Day 2: more rain.\n"),
  });

  const card = page.getByTestId("upload-card");
  await expect(card).toHaveAttribute("data-status", "rejected");
  await expect(card).toContainText("holiday-notes.jpg");
  await expect(card).toContainText(/not a supported image/i);
  await expect(card.getByRole("img")).toHaveCount(0);
});
