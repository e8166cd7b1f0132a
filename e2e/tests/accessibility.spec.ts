import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { adminCredentials } from "./support/backstage";
import { card, uploadIdOf } from "./support/page-watch";
import { photoFiles } from "./support/photos";
import { expect, test } from "./support/test";

// The queue page asks for the admin: the credentials go with every page here.
test.use({ httpCredentials: adminCredentials() });

/** axe's findings of `serious` or `critical` impact, each as "rule: the elements it found". */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`,
    );
}

test("every page has no serious or critical accessibility violation (axe)", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByLabel("Choose photos")).toBeAttached();
  expect(await seriousViolations(page), "upload page, empty").toEqual([]);

  const [photo] = await photoFiles("accessible", 1, 1200, 800);
  await page.getByLabel("Choose photos").setInputFiles(photo!);
  const id = await uploadIdOf(page, photo!.name);
  await expect(card(page, photo!.name)).toHaveAttribute("data-status", "completed", { timeout: 45_000 });
  await expect(card(page, photo!.name).locator("picture > img")).toBeVisible();
  expect(await seriousViolations(page), "upload page and gallery, with an upload").toEqual([]);

  await page.goto(`/uploads/${id}`);
  await expect(page.getByText("Done")).toBeVisible();
  expect(await seriousViolations(page), "viewer").toEqual([]);

  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  expect(await seriousViolations(page), "page not found").toEqual([]);

  await page.goto("/queue");
  await expect(page.getByTestId("count-workers").getByRole("definition")).toHaveText("1");
  expect(await seriousViolations(page), "queue page").toEqual([]);

  await page.goto("/compare");
  await expect(page.getByLabel("Preset")).toBeVisible();
  expect(await seriousViolations(page), "compare page").toEqual([]);
});

/** Presses Tab until `target` has the focus; fails if it never does. */
async function tabTo(page: Page, target: Locator) {
  for (let press = 0; press < 40; press++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

test("the whole upload flow works with the keyboard alone", async ({ page }) => {
  const [photo] = await photoFiles("keyboard", 1, 1200, 800);
  await page.goto("/");

  await tabTo(page, page.getByLabel("Choose photos"));
  const chooser = page.waitForEvent("filechooser");
  await page.keyboard.press("Space");
  await (await chooser).setFiles(photo!);
  await expect(card(page, photo!.name)).toHaveAttribute("data-status", "completed", { timeout: 45_000 });

  await tabTo(page, card(page, photo!.name).getByRole("link", { name: photo!.name }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/uploads\/[\w-]+$/);
  await expect(page.getByText("Done")).toBeVisible();

  await tabTo(page, page.getByRole("button", { name: `Delete ${photo!.name}` }));
  page.once("dialog", (dialog) => void dialog.accept());
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/$/);
  await expect(card(page, photo!.name)).toHaveCount(0);
});
