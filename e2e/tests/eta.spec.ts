import { expect, test } from "./support/test";
import { card } from "./support/page-watch";
import { photoFiles } from "./support/photos";

test("a photo waiting behind others says about how long it will be, beside its place in line", async ({
  page,
}) => {
  const [first, ...batch] = await photoFiles("eta", 13, 2400, 1600);
  await page.goto("/");

  // The ETA comes from the workers' pace: a completed job first, as in any queue in use.
  await page.getByLabel("Choose photos").setInputFiles(first!);
  await expect(card(page, first!.name)).toHaveAttribute("data-status", "completed", { timeout: 60_000 });
  await page.getByLabel("Choose photos").setInputFiles(batch);

  await expect(card(page, batch.at(-1)!.name)).toContainText(/in line, about \d+ (s|min)/, {
    timeout: 30_000,
  });
  for (const photo of batch)
    await expect(card(page, photo.name)).toHaveAttribute("data-status", "completed", { timeout: 120_000 });
});
