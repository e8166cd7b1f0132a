import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { card } from "./support/page-watch";
import { photoFiles } from "./support/photos";

const PAGE_TITLE = "Darkroom · Upload photos";

interface Away {
  notifications: { title: string; body: string | undefined }[];
  permissionRequests: number;
}

/**
 * Before the page's own scripts: a `document.visibilityState` the test sets
 * (`setHidden`, which also fires `visibilitychange`, as switching tabs does),
 * and `window.Notification` wrapped to record each notification made and
 * each permission asked. With `fakePermission`, the permission starts
 * `default` and asking grants it, as a user clicking Allow.
 */
async function watchNotifications(page: Page, { fakePermission = false } = {}) {
  await page.addInitScript(
    ({ fakePermission }) => {
      const away = { hidden: false, notifications: [] as unknown[], permissionRequests: 0 };
      let permission: NotificationPermission = "default";
      Object.assign(window, {
        away,
        setHidden(hidden: boolean) {
          away.hidden = hidden;
          document.dispatchEvent(new Event("visibilitychange"));
        },
      });
      Object.defineProperty(document, "visibilityState", { get: () => (away.hidden ? "hidden" : "visible") });
      Object.defineProperty(document, "hidden", { get: () => away.hidden });
      const Real = window.Notification;
      class Recorded extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          away.notifications.push({ title, body: options?.body });
        }
      }
      Object.defineProperty(Recorded, "permission", {
        get: () => (fakePermission ? permission : Real.permission),
      });
      Object.defineProperty(Recorded, "requestPermission", {
        value: () => {
          away.permissionRequests += 1;
          if (!fakePermission) return Real.requestPermission();
          permission = "granted";
          return Promise.resolve(permission);
        },
      });
      window.Notification = Recorded;
    },
    { fakePermission },
  );
  return {
    setHidden: (hidden: boolean) =>
      page.evaluate(
        (hidden) => (window as unknown as { setHidden(h: boolean): void }).setHidden(hidden),
        hidden,
      ),
    away: () => page.evaluate(() => (window as unknown as { away: Away }).away),
  };
}

test("with the tab hidden, finishing uploads count in its title and raise one notification", async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(["notifications"], { origin: baseURL });
  const watch = await watchNotifications(page);
  const photos = await photoFiles("away", 4, 800, 600);
  await page.goto("/");
  await expect(page).toHaveTitle(PAGE_TITLE);

  await watch.setHidden(true);
  await page.getByLabel("Choose photos").setInputFiles(photos);

  await expect(page).toHaveTitle(`(4 done) ${PAGE_TITLE}`, { timeout: 60_000 });
  for (const photo of photos)
    await expect(card(page, photo.name)).toHaveAttribute("data-status", "completed");
  await expect
    .poll(async () => (await watch.away()).notifications)
    .toEqual([{ title: "4 photos done", body: "Darkroom has finished your uploads." }]);
  // Granted already: nobody is asked again.
  expect((await watch.away()).permissionRequests).toBe(0);

  await watch.setHidden(false);
  await expect(page).toHaveTitle(PAGE_TITLE);
  expect((await watch.away()).notifications).toHaveLength(1);
});

test("in view, finishing uploads change neither the title nor notify", async ({ page, context, baseURL }) => {
  await context.grantPermissions(["notifications"], { origin: baseURL });
  const watch = await watchNotifications(page);
  const photos = await photoFiles("in-view", 2, 800, 600);
  await page.goto("/");

  await page.getByLabel("Choose photos").setInputFiles(photos);
  for (const photo of photos)
    await expect(card(page, photo.name)).toHaveAttribute("data-status", "completed", { timeout: 45_000 });

  await expect(page).toHaveTitle(PAGE_TITLE);
  expect((await watch.away()).notifications).toEqual([]);
});

test("asks to notify only when a batch of more than three photos starts", async ({ page }) => {
  const watch = await watchNotifications(page, { fakePermission: true });
  const [single, ...batch] = await photoFiles("ask", 5, 400, 300);
  await page.goto("/");

  await page.getByLabel("Choose photos").setInputFiles(single!);
  await expect(card(page, single!.name)).toBeVisible();
  expect((await watch.away()).permissionRequests).toBe(0);

  await page.getByLabel("Choose photos").setInputFiles(batch);
  await expect.poll(async () => (await watch.away()).permissionRequests).toBe(1);
});
