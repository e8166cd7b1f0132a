import type { Page, Route } from "@playwright/test";
import { expect, test } from "./support/test";
import { card, thumbnailOf } from "./support/page-watch";
import { photoFiles } from "./support/photos";

/** Holds every variant fetched from storage until `release`, as a slow network would. */
async function holdVariants(page: Page): Promise<{ release: () => Promise<void> }> {
  const held: Route[] = [];
  let released = false;
  const matches = (url: URL) => url.pathname.includes("/variants/");
  await page.route(matches, (route) => (released ? route.continue() : void held.push(route)));
  return {
    release: async () => {
      released = true;
      await Promise.all(held.splice(0).map((route) => route.continue()));
      await page.unroute(matches);
    },
  };
}

const loaded = (image: HTMLImageElement) => image.complete && image.naturalWidth > 0;

test("shows a completed photo's placeholder until its thumbnail and its preview have loaded, in the same box", async ({
  page,
}) => {
  const [photo] = await photoFiles("placeholder", 1);
  await page.goto("/");
  const variants = await holdVariants(page);

  await page.getByLabel("Choose photos").setInputFiles(photo!);
  const upload = card(page, photo!.name);
  await expect(upload).toHaveAttribute("data-status", "completed", { timeout: 45_000 });
  const thumbnail = thumbnailOf(upload);
  const placeholder = upload.getByTestId("placeholder");
  await expect(placeholder).toBeVisible();
  expect(await placeholder.evaluate(loaded)).toBe(true);
  expect(await thumbnail.evaluate(loaded)).toBe(false);

  await variants.release();
  await expect.poll(() => thumbnail.evaluate(loaded)).toBe(true);
  await expect(placeholder).toHaveCount(0);

  // The detail page: the same, over the preview, whose box does not change when it arrives.
  const detail = await holdVariants(page);
  await upload.getByRole("link", { name: photo!.name }).click();
  const preview = page.getByRole("img", { name: new RegExp(`^${photo!.name}, \\d+×\\d+$`) });
  const cover = page.getByTestId("placeholder");
  await expect(cover).toBeVisible();
  expect(await preview.evaluate(loaded)).toBe(false);
  const [box, coverBox] = [await preview.boundingBox(), await cover.boundingBox()];
  expect(coverBox).toEqual(box);

  await detail.release();
  await expect.poll(() => preview.evaluate(loaded)).toBe(true);
  await expect(cover).toHaveCount(0);
  expect(await preview.boundingBox()).toEqual(box);
});
