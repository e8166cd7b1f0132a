import { objectKeys } from "@darkroom/storage";
import { expect, test } from "./support/test";
import { adminCredentials, backstage, type Backstage } from "./support/backstage";
import { card, uploadIdOf } from "./support/page-watch";
import { photoFiles } from "./support/photos";

// The queue page acts on every owner's uploads: only the admin may use it.
test.use({ httpCredentials: adminCredentials() });

let stack: Backstage;
test.beforeAll(() => {
  stack = backstage();
});
test.afterAll(() => stack.close());

test("shows a job failed in the worker on the queue page, and retrying it completes the upload", async ({
  page,
}, testInfo) => {
  const [photo] = await photoFiles("failing", 1);
  await page.goto("/");

  // The worker finds no original: the job fails for good, as after a storage accident.
  await stack.queue.pause();
  let original: Buffer;
  let id: string;
  try {
    await page.getByLabel("Choose photos").setInputFiles(photo!);
    id = await uploadIdOf(page, photo!.name);
    original = await stack.storage.getBuffer(objectKeys.original(id));
    await stack.storage.deleteMany([objectKeys.original(id)]);
  } finally {
    await stack.queue.resume();
  }
  await expect(card(page, photo!.name)).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  await expect(card(page, photo!.name)).toContainText(/no longer in storage/);

  await page.getByRole("link", { name: "Queue" }).click();
  await expect(page.getByTestId("count-workers").getByRole("definition")).toHaveText("1");
  const failed = page.getByTestId("failed-job").filter({ hasText: photo!.name });
  await expect(failed).toContainText(/Could not be processed: The original is no longer in storage/);
  await page.screenshot({ path: testInfo.outputPath("queue-page.png"), fullPage: true });

  await stack.storage.put(objectKeys.original(id), original, "image/jpeg");
  await failed.getByRole("button", { name: `Retry ${photo!.name}` }).click();
  await expect(page.getByRole("status")).toHaveText(`${photo!.name} is queued again.`);
  await expect(failed).toHaveCount(0);

  await page.goto(`/uploads/${id}`);
  await expect(page.getByText("Done")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("table", { name: `Variants of ${photo!.name}` }).getByRole("row")).toHaveCount(
    7,
  );
});

test("discards a failed job: it leaves the list, and its upload is gone", async ({ page }) => {
  const [photo] = await photoFiles("discarded", 1, 1200, 800);
  await page.goto("/");
  await stack.queue.pause();
  let id: string;
  try {
    await page.getByLabel("Choose photos").setInputFiles(photo!);
    id = await uploadIdOf(page, photo!.name);
    await stack.storage.deleteMany([objectKeys.original(id)]);
  } finally {
    await stack.queue.resume();
  }
  await expect(card(page, photo!.name)).toHaveAttribute("data-status", "failed", { timeout: 30_000 });

  await page.goto("/queue");
  const failed = page.getByTestId("failed-job").filter({ hasText: photo!.name });
  await failed.getByRole("button", { name: `Discard ${photo!.name}` }).click();

  await expect(page.getByRole("status")).toHaveText(`${photo!.name} was discarded.`);
  await expect(failed).toHaveCount(0);
  await page.goto(`/uploads/${id}`);
  await expect(page.getByRole("alert")).toContainText("Upload not found");
});
