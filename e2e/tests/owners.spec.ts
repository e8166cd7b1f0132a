import { objectKeys } from "@darkroom/storage";
import { expect, test } from "./support/test";
import { backstage, type Backstage } from "./support/backstage";
import { card, uploadIdOf } from "./support/page-watch";
import { photoFiles } from "./support/photos";

let stack: Backstage;
test.beforeAll(() => {
  stack = backstage();
});
test.afterAll(() => stack.close());

test("each browser sees only its own uploads, and its owner deletes one with every file of it", async ({
  page,
  browser,
}) => {
  const [photo] = await photoFiles("owned", 1, 1200, 800);
  await page.goto("/");
  await page.getByLabel("Choose photos").setInputFiles(photo!);
  const id = await uploadIdOf(page, photo!.name);
  await expect(card(page, photo!.name)).toHaveAttribute("data-status", "completed", { timeout: 45_000 });

  // Another browser, another owner: the upload does not exist for it.
  const stranger = await browser.newPage();
  try {
    const listing = stranger.waitForResponse((response) => response.url().includes("/api/uploads?"));
    await stranger.goto("/");
    expect((await listing).status()).toBe(200);
    await expect(card(stranger, photo!.name)).toHaveCount(0);
    await stranger.goto(`/uploads/${id}`);
    await expect(stranger.getByRole("alert")).toContainText("Upload not found");
  } finally {
    await stranger.close();
  }

  await page.goto(`/uploads/${id}`);
  await expect(page.getByText("Done")).toBeVisible();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: `Delete ${photo!.name}` }).click();

  await expect(page).toHaveURL(/\/$/);
  await expect(card(page, photo!.name)).toHaveCount(0);
  const left = await Promise.all(
    ["originals/", "manifests/", objectKeys.variantsOf(id)].map((prefix) => stack.storage.listKeys(prefix)),
  );
  expect(left.flat().filter((key) => key.includes(id))).toEqual([]);
  await page.goto(`/uploads/${id}`);
  await expect(page.getByRole("alert")).toContainText("Upload not found");
});
