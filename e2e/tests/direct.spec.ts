import { writeFile } from "node:fs/promises";
import { objectKeys } from "@darkroom/storage";
import type { Request } from "@playwright/test";
import { expect, test } from "./support/test";
import { backstage, type Backstage } from "./support/backstage";
import { card, thumbnailOf, uploadIdOf, variantCount } from "./support/page-watch";
import { photoFiles } from "./support/photos";

let stack: Backstage;
test.beforeAll(() => {
  stack = backstage();
});
test.afterAll(() => stack.close());

test("sends photos straight to storage in direct mode, then each one is processed and shows its variants", async ({
  page,
  baseURL,
}) => {
  const photos = await photoFiles("direct", 2);
  const sent: Request[] = [];
  page.on("request", (request) => {
    if (request.method() === "PUT" || request.method() === "POST") sent.push(request);
  });
  await page.goto("/");

  await page.getByRole("radio", { name: /Direct/ }).check();
  await page.getByLabel("Choose photos").setInputFiles(photos);

  for (const photo of photos) {
    const upload = card(page, photo.name);
    await expect(upload).toHaveAttribute("data-status", "completed", { timeout: 45_000 });
    await expect(upload.getByText("Done")).toBeVisible();
    await expect(thumbnailOf(upload)).toBeVisible();
    expect(await variantCount(upload)).toBe(6);
  }

  // The bytes went to storage, one PUT each to that upload's original; the API
  // was only asked to sign and to complete.
  const ids = await Promise.all(photos.map((photo) => uploadIdOf(page, photo.name)));
  const puts = sent.filter((request) => request.method() === "PUT");
  // Path-style: /{bucket}/{key}.
  const putKeys = puts.map((request) => new URL(request.url()).pathname.split("/").slice(-2).join("/"));
  expect(putKeys.sort()).toEqual(ids.map((id) => objectKeys.original(id)).sort());
  for (const put of puts) expect(new URL(put.url()).origin).not.toBe(new URL(baseURL!).origin);
  const toApi = sent
    .filter((request) => request.method() === "POST")
    .map((request) => new URL(request.url()).pathname)
    .filter((path) => path.startsWith("/api/"));
  expect(toApi.sort()).toEqual(
    [...photos.map(() => "/api/uploads/direct"), ...ids.map((id) => `/api/uploads/${id}/complete`)].sort(),
  );

  await card(page, photos[0]!.name).getByRole("link", { name: photos[0]!.name }).click();
  await expect(page.getByRole("definition").filter({ hasText: "Direct" })).toBeVisible();
});

test("shows why direct uploads are refused, when signed and when completed, and keeps nothing", async ({
  page,
}, testInfo) => {
  const before = await stack.storage.listKeys(objectKeys.originals);
  const oversized = testInfo.outputPath("panorama-too-large.jpg");
  await writeFile(oversized, Buffer.alloc(51 * 1024 * 1024, 0xff));
  await page.goto("/");
  await page.getByRole("radio", { name: /Direct/ }).check();

  // Refused at signing, from the size it declares: no byte leaves the browser.
  await page.getByLabel("Choose photos").setInputFiles(oversized);
  // Signed and stored, then refused on complete, when the API reads its first bytes.
  await page.getByLabel("Choose photos").setInputFiles({
    name: "direct-notes.jpg",
    mimeType: "image/jpeg",
    buffer: Buffer.from("Day 1: rain. Day 2: more rain.\n"),
  });

  const tooLarge = card(page, "panorama-too-large.jpg");
  await expect(tooLarge).toHaveAttribute("data-status", "rejected");
  await expect(tooLarge).toContainText(/too large/i);
  const text = card(page, "direct-notes.jpg");
  await expect(text).toHaveAttribute("data-status", "rejected");
  await expect(text).toContainText(/not a supported image/i);
  await expect(thumbnailOf(text)).toHaveCount(0);
  expect(await stack.storage.listKeys(objectKeys.originals)).toEqual(before);
});
