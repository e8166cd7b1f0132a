import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { HOSTILE_CORPUS } from "@darkroom/imaging/testing";
import { expect, test } from "./support/test";
import { card, openViewer, thumbnailOf } from "./support/page-watch";

const upright = (image: HTMLImageElement) => image.complete && image.naturalHeight > image.naturalWidth;

test("uploads an iPhone's HEIC from the file picker, queued and sync: six variants, upright", async ({
  page,
}, testInfo) => {
  // Made by heif-enc: a 300 × 400 portrait stored turned, with EXIF orientation 6, in Display P3.
  const heic = await HOSTILE_CORPUS.find((entry) => entry.name === "iphone-like.heic")!.make({ maxBytes: 0 });
  const run = randomUUID().slice(0, 8);
  await page.goto("/");

  for (const mode of ["Queued", "Sync"] as const) {
    // A file on disk, as the picker hands it over: the browser, not the test, gives its type.
    const name = `IMG_${mode}_${run}.HEIC`;
    const path = testInfo.outputPath(name);
    await writeFile(path, heic);
    await page.getByRole("radio", { name: new RegExp(mode) }).check();
    await page.getByLabel("Choose photos").setInputFiles(path);

    const upload = card(page, name);
    await expect(upload).toHaveAttribute("data-status", "completed", { timeout: 45_000 });
    await expect.poll(() => thumbnailOf(upload).evaluate(upright)).toBe(true);
    const variants = await openViewer(page, name);
    await expect(variants.getByRole("link", { name: /^Download/ })).toHaveCount(6);
    await expect(variants.getByRole("link", { name: /thumb 240×320 px, WebP \d+ KB/ })).toBeVisible();
    await page.goBack();
  }
});
