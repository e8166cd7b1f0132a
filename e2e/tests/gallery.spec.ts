import type { Page } from "@playwright/test";
import { card, thumbnailOf, watchCards } from "./support/page-watch";
import { photoFiles } from "./support/photos";
import { seedUploads } from "./support/seed";
import { expect, test } from "./support/test";

/** The tiles of the gallery, in its order. */
const tiles = (page: Page) => page.getByTestId("upload-card");

/** The upload ids of the gallery's tiles, in its order (newest first). */
const galleryIds = (page: Page) =>
  tiles(page)
    .getByRole("link")
    .evaluateAll((links) => links.map((link) => link.getAttribute("href")!.split("/").at(-1)!));

/** How many tiles the first row of the gallery holds: those level with the first. */
async function firstRow(page: Page): Promise<number> {
  const boxes = await tiles(page).evaluateAll((elements) =>
    elements.map((element) => element.getBoundingClientRect().top),
  );
  return boxes.filter((top) => Math.abs(top - boxes[0]!) < 1).length;
}

const isLoaded = (image: HTMLImageElement) => image.complete && image.naturalWidth > 0;

/** The path of the image the browser chose of a `<picture>`, without its signature. */
const chosen = (image: HTMLImageElement) => new URL(image.currentSrc).pathname;

test("shows the gallery as a grid: at least 3 side by side on a laptop, 2 on a phone, nothing wider than the screen", async ({
  page,
}, testInfo) => {
  const photos = await photoFiles("grid", 8, 600, 400);
  await seedUploads(page, photos);

  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto("/");
  await expect(tiles(page)).toHaveCount(8);
  expect(await firstRow(page)).toBeGreaterThanOrEqual(3);
  await expect.poll(() => thumbnailOf(tiles(page).first()).evaluate(isLoaded)).toBe(true);
  await page.screenshot({ path: testInfo.outputPath("gallery.png") });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(tiles(page)).toHaveCount(8);
  expect(await firstRow(page)).toBe(2);
  for (const box of await tiles(page).evaluateAll((elements) =>
    elements.map((element) => element.getBoundingClientRect().toJSON() as DOMRect),
  )) {
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.right).toBeLessThanOrEqual(390);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expect.poll(() => thumbnailOf(tiles(page).first()).evaluate(isLoaded)).toBe(true);
  await page.screenshot({ path: testInfo.outputPath("gallery-phone.png") });
});

test("with 60 uploads, lists one page for the first screen, without shifting the layout while thumbnails load, then the next as the end nears; Back from a photo returns to its place", async ({
  page,
}, testInfo) => {
  const photos = await photoFiles("paged", 60, 480, 320);
  await seedUploads(page, photos);
  await page.setViewportSize({ width: 1366, height: 900 });
  const listings: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/uploads") listings.push(request.url());
  });

  await page.goto("/");
  const seen = await watchCards(page);
  await expect(tiles(page)).toHaveCount(30);
  // Every thumbnail on the first screen loaded, the placeholders gone.
  await expect
    .poll(() =>
      tiles(page).evaluateAll((elements) =>
        elements
          .filter((element) => element.getBoundingClientRect().top < window.innerHeight)
          .every((element) => {
            const image = element.querySelector<HTMLImageElement>("picture > img");
            return image !== null && image.complete && image.naturalWidth > 0;
          }),
      ),
    )
    .toBe(true);
  // Time enough for a stray second listing to go out.
  await page.waitForTimeout(1_000);
  const { layoutShift } = await seen();
  testInfo.annotations.push(
    { type: "listing requests for the first screen", description: String(listings.length) },
    { type: "cumulative layout shift while thumbnails load", description: layoutShift.toFixed(5) },
  );
  expect(listings).toHaveLength(1);
  expect(layoutShift).toBeLessThan(0.01);

  await page.getByRole("button", { name: "Show more photos" }).scrollIntoViewIfNeeded();
  await expect(tiles(page)).toHaveCount(60);
  expect(listings).toHaveLength(2);
  expect(new URL(listings[1]!).searchParams.get("cursor")).toBeTruthy();
  await expect(page.getByRole("button", { name: "Show more photos" })).toHaveCount(0);
  // Each upload once, in the order the API lists them.
  expect(new Set(await galleryIds(page)).size).toBe(60);

  // A photo far down opened, then Back: the gallery is where it was left, no page listed again.
  const last = tiles(page).last();
  await last.scrollIntoViewIfNeeded();
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled).toBeGreaterThan(900);
  await last.getByRole("link").click();
  await expect(page).toHaveURL(/\/uploads\//);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await page.goBack();
  await expect(tiles(page)).toHaveCount(60);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(scrolled);
  expect(listings).toHaveLength(2);
});

test("opens a photo in the viewer and comes back without loading the document again; the arrow keys move between photos", async ({
  page,
}, testInfo) => {
  const photos = await photoFiles("viewer", 3, 1600, 1000);
  await seedUploads(page, photos);
  await page.setViewportSize({ width: 1366, height: 900 });
  const documents: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "document") documents.push(request.url());
  });
  await page.goto("/");
  await expect(tiles(page)).toHaveCount(3);
  const [newest, middle, oldest] = await galleryIds(page);
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = "same document"));
  // The tile's image is WebP: Chromium takes the first source it decodes.
  await expect.poll(() => thumbnailOf(tiles(page).first()).evaluate(isLoaded)).toBe(true);
  expect(await thumbnailOf(tiles(page).first()).evaluate(chosen)).toMatch(/\/thumb\.webp$/);

  await tiles(page).nth(1).getByRole("link").click();
  await expect(page).toHaveURL(`/uploads/${middle}`);
  const photo = page.getByRole("img", { name: /, \d+×\d+$/ });
  await expect.poll(() => photo.evaluate(isLoaded)).toBe(true);
  // The medium size is sharp at the width drawn (under 1280 px), in WebP.
  expect(await photo.evaluate(chosen)).toMatch(/\/medium\.webp$/);
  await page.screenshot({ path: testInfo.outputPath("viewer.png") });

  await page.keyboard.press("ArrowRight");
  await expect(page).toHaveURL(`/uploads/${oldest}`);
  await expect(page.getByRole("link", { name: "Next photo" })).toHaveAttribute("aria-disabled", "true");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await expect(page).toHaveURL(`/uploads/${newest}`);
  await page.getByRole("link", { name: "Next photo" }).click();
  await expect(page).toHaveURL(`/uploads/${middle}`);

  // Moving between photos replaced the viewer's entry: Back is the gallery.
  await page.goBack();
  await expect(page).toHaveURL("/");
  await expect(tiles(page)).toHaveCount(3);
  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("same document");
  expect(documents).toHaveLength(1);
});

test("a deep link opens the viewer, and a path the app does not know shows its page not found", async ({
  page,
}) => {
  const [photo] = await photoFiles("deep-link", 1, 800, 600);
  const [id] = await seedUploads(page, [photo!]);

  await page.goto(`/uploads/${id}`);
  await expect(page.getByRole("heading", { name: photo!.name })).toBeVisible();

  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to your photos" }).click();
  await expect(card(page, photo!.name)).toBeVisible();
});
