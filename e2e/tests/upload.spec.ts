import { writeFile } from "node:fs/promises";
import { objectKeys } from "@darkroom/storage";
import { expect, test } from "./support/test";
import { backstage, type Backstage } from "./support/backstage";
import { card, openViewer, pageTime, thumbnailOf, watchCards } from "./support/page-watch";
import { dropFiles, photoFiles } from "./support/photos";

let stack: Backstage;
test.beforeAll(() => {
  stack = backstage();
});
test.afterAll(() => stack.close());

test("uploads several photos in queued mode: progress on the way, then each one's thumbnail", async ({
  page,
}, testInfo) => {
  const photos = await photoFiles("queued", 3);
  await page.goto("/");
  const seen = await watchCards(page);

  await expect(page.getByRole("radio", { name: /Queued/ })).toBeChecked();
  await page.getByLabel("Choose photos").setInputFiles(photos);
  for (const photo of photos) await expect(card(page, photo.name)).toBeVisible();
  // New cards push the gallery down, as the user asked; from then on nothing may move.
  const placed = await pageTime(page);

  for (const photo of photos) {
    const upload = card(page, photo.name);
    await expect(upload).toHaveAttribute("data-status", "completed", { timeout: 45_000 });
    await expect(upload.getByText("Done")).toBeVisible();
    await expect
      .poll(() => thumbnailOf(upload).evaluate((image: HTMLImageElement) => image.naturalWidth))
      .toBeGreaterThan(0);
  }
  const { statuses, processing, layoutShift } = await seen(placed);
  expect(statuses).toEqual(expect.arrayContaining(["uploading", "active", "completed"]));
  // Processing was seen part way, not only at its ends.
  expect(processing.some((percent) => percent > 0 && percent < 100)).toBe(true);
  testInfo.annotations.push({
    type: "cumulative layout shift while uploads progress",
    description: layoutShift.toFixed(5),
  });
  expect(layoutShift).toBeLessThan(0.01);

  await page.screenshot({ path: testInfo.outputPath("upload-page.png") });
  await page.screenshot({ path: testInfo.outputPath("upload-page-full.png"), fullPage: true });

  const variants = await openViewer(page, photos[0]!.name);
  await expect(variants.getByRole("link", { name: /^Download/ })).toHaveCount(6);
  await expect(variants.getByRole("link", { name: /thumb 320×213 px, WebP \d+ KB/ })).toBeVisible();
});

test("uploads in sync mode: each photo is processed before the answer, then shows its thumbnail", async ({
  page,
}) => {
  const photos = await photoFiles("sync", 2);
  await page.goto("/");

  // By keyboard, as a radio group is used.
  await page.getByRole("radio", { name: /Queued/ }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("radio", { name: /Sync/ })).toBeChecked();
  // One chosen, one dropped on the zone.
  await page.getByLabel("Choose photos").setInputFiles(photos[0]!);
  await dropFiles(page.getByRole("region", { name: "Add photos" }), photos[1]!);

  for (const photo of photos) {
    const upload = card(page, photo.name);
    await expect(upload).toHaveAttribute("data-status", "completed", { timeout: 45_000 });
    await expect(thumbnailOf(upload)).toBeVisible();
  }
  await card(page, photos[0]!.name).getByRole("link", { name: photos[0]!.name }).click();
  await expect(page.getByRole("heading", { name: photos[0]!.name })).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: "Sync" })).toBeVisible();
});

test("shows why a text file named .jpg and an oversized file are refused, and stores nothing", async ({
  page,
}, testInfo) => {
  const before = await stack.storage.listKeys(objectKeys.originals);
  const oversized = testInfo.outputPath("oversized.jpg");
  await writeFile(oversized, Buffer.alloc(51 * 1024 * 1024, 0xff));
  await page.goto("/");

  await page.getByLabel("Choose photos").setInputFiles({
    name: "holiday-notes.jpg",
    mimeType: "image/jpeg",
    buffer: Buffer.from("Day 1: rain. Day 2: more rain.\n"),
  });
  await page.getByLabel("Choose photos").setInputFiles(oversized);

  const text = card(page, "holiday-notes.jpg");
  await expect(text).toHaveAttribute("data-status", "rejected");
  await expect(text).toContainText(/not a supported image/i);
  await expect(thumbnailOf(text)).toHaveCount(0);
  const tooLarge = card(page, "oversized.jpg");
  await expect(tooLarge).toHaveAttribute("data-status", "rejected");
  await expect(tooLarge).toContainText(/too large/i);
  expect(await stack.storage.listKeys(objectKeys.originals)).toEqual(before);
});

test("comes back after a reload during processing, from the server, and each card finishes", async ({
  page,
}) => {
  const photos = await photoFiles("reload", 3);
  await page.goto("/");
  // Held in the queue, so the reload surely comes before the end.
  await stack.queue.pause();
  try {
    await page.getByLabel("Choose photos").setInputFiles(photos);
    for (const photo of photos) await expect(card(page, photo.name)).toHaveAttribute("data-status", "queued");

    await page.reload();

    for (const photo of photos) await expect(card(page, photo.name)).toHaveAttribute("data-status", "queued");
    await expect(card(page, photos[0]!.name)).toContainText(/Next in queue|in line/);
  } finally {
    await stack.queue.resume();
  }
  for (const photo of photos) {
    const upload = card(page, photo.name);
    await expect(upload).toHaveAttribute("data-status", "completed", { timeout: 45_000 });
    await expect(thumbnailOf(upload)).toBeVisible();
  }
});

test("fits a phone: nothing wider than the screen, every card readable", async ({ page }, testInfo) => {
  const photos = await photoFiles("phone", 2, 1600, 1200);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");

  await page.getByLabel("Choose photos").setInputFiles(photos);
  for (const photo of photos) {
    const upload = card(page, photo.name);
    await expect(upload).toHaveAttribute("data-status", "completed", { timeout: 45_000 });
    const box = (await upload.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await page.screenshot({ path: testInfo.outputPath("upload-page-phone.png") });
  await card(page, photos[0]!.name).getByRole("link", { name: photos[0]!.name }).click();
  await expect(page.getByRole("table", { name: `Variants of ${photos[0]!.name}` })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: testInfo.outputPath("detail-page-phone.png"), fullPage: true });
});
