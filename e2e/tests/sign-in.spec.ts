import type { Page } from "@playwright/test";
import { E2E_OIDC_ADMIN } from "../stack";
import { expect, test } from "./support/test";
import { card } from "./support/page-watch";
import { photoFiles } from "./support/photos";

/** Through the development provider's page, as a person signs in: an account name, no password. */
async function signIn(page: Page, account: string) {
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("Account name").fill(account);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

test("a signed-in account finds its uploads on another device, and not after signing out", async ({
  page,
  browser,
}) => {
  const account = `grace-${Date.now()}`;
  const [photo] = await photoFiles("signed-in", 1, 1200, 800);
  await page.goto("/");
  await signIn(page, account);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByText(account)).toBeVisible();
  await page.getByLabel("Choose photos").setInputFiles(photo!);
  await expect(card(page, photo!.name)).toHaveAttribute("data-status", "completed", { timeout: 45_000 });

  const phone = await browser.newPage();
  try {
    await phone.goto("/");
    await expect(card(phone, photo!.name)).toHaveCount(0);
    await signIn(phone, account);
    await expect(card(phone, photo!.name)).toHaveAttribute("data-status", "completed");

    await phone.getByRole("button", { name: "Sign out" }).click();
    await expect(phone.getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(card(phone, photo!.name)).toHaveCount(0);
  } finally {
    await phone.close();
  }
});

test("an account in the admin group opens the queue page without the admin's password", async ({ page }) => {
  await page.goto("/");
  await signIn(page, E2E_OIDC_ADMIN);
  await expect(page.getByText(`${E2E_OIDC_ADMIN} (admin)`)).toBeVisible();

  await page.getByRole("link", { name: "Queue" }).click();
  await expect(page.getByTestId("count-workers").getByRole("definition")).toHaveText("1");
});
