import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { noisyPhoto } from "@darkroom/imaging/testing";
import type { Locator, Page, TestInfo } from "@playwright/test";
import { expect, test } from "./support/test";
import { backstage, type Backstage } from "./support/backstage";
import { cuttableLink } from "./support/cuttable-link";
import { card, variantCount } from "./support/page-watch";

/** What the API has read of resumable uploads, all of them: the tests run one at a time. */
const BYTES_RECEIVED = "darkroom_resumable_bytes_received_total";
/** Slow enough to cut an upload at half, here where the server is on the same machine. */
const UPLOAD_BYTES_PER_S = 4 * 1024 * 1024;

let stack: Backstage;
test.beforeAll(() => {
  stack = backstage();
});
test.afterAll(() => stack.close());

test.describe.configure({ timeout: 120_000 });

test("a resumable upload cut halfway by the network going away continues where it stopped once it is back", async ({
  page,
  context,
  baseURL,
}, testInfo) => {
  const photo = await bigPhoto(testInfo, "cut");
  const network = await cuttableLink(baseURL!);
  try {
    await page.goto(network.url);
    await throttleUploads(page);
    await page.getByRole("radio", { name: /Resumable/ }).check();
    const before = await stack.apiMetric(BYTES_RECEIVED);

    await page.getByLabel("Choose photos").setInputFiles(photo.path);
    const upload = card(page, photo.name);
    await untilReceived(before + photo.bytes / 2);
    network.cut();
    await context.setOffline(true);
    const atCut = await settledMetric();
    await page.waitForTimeout(2_000);
    await expect(upload).toHaveAttribute("data-status", "uploading");
    network.restore();
    await context.setOffline(false);

    const after = await expectFinishedWithoutStartingOver(testInfo, upload, photo, before, atCut);
    expect(after - before).toBeGreaterThanOrEqual(photo.bytes);
  } finally {
    await network.close();
  }
});

test("a resumable upload cut by a reload continues where it stopped when the same photo is chosen again", async ({
  page,
}, testInfo) => {
  const photo = await bigPhoto(testInfo, "reload");
  await page.goto("/");
  await throttleUploads(page);
  await page.getByRole("radio", { name: /Resumable/ }).check();
  const before = await stack.apiMetric(BYTES_RECEIVED);

  await page.getByLabel("Choose photos").setInputFiles(photo.path);
  await untilReceived(before + photo.bytes / 2);
  await page.reload();
  const atCut = await settledMetric();

  // The page remembers it, and asks the server how far it got: as far as the API read.
  const unfinished = page.getByRole("region", { name: "Unfinished uploads" });
  const line = unfinished.getByRole("listitem").filter({ hasText: photo.name });
  const megabytes = (photo.bytes / 1024 / 1024).toFixed(1).replace(".", "\\.");
  await expect(line).toHaveText(new RegExp(`: \\d+% of ${megabytes} MB sent$`));
  const shown = Number(/: (\d+)%/.exec((await line.textContent())!)![1]);
  expect(Math.abs(shown - ((atCut - before) / photo.bytes) * 100)).toBeLessThan(2);
  await page.screenshot({ path: testInfo.outputPath("unfinished-upload.png") });
  await page.getByRole("radio", { name: /Resumable/ }).check();
  await page.getByLabel("Choose photos").setInputFiles(photo.path);
  await expect(unfinished).toBeHidden();
  await expectFinishedWithoutStartingOver(testInfo, card(page, photo.name), photo, before, atCut);
});

interface BigPhoto {
  path: string;
  name: string;
  bytes: number;
}

/**
 * A noisy 29 MP JPEG of about 23 MB, as a file on disk: a file chosen from
 * disk keeps its modification time, which the upload's fingerprint holds,
 * so the same file chosen again is known again.
 */
async function bigPhoto(testInfo: TestInfo, label: string): Promise<BigPhoto> {
  const buffer = await noisyPhoto(6600, 4400, 11, 100);
  const path = testInfo.outputPath(`resumable-${label}-${randomUUID().slice(0, 8)}.jpg`);
  await writeFile(path, buffer);
  return { path, name: basename(path), bytes: buffer.length };
}

/**
 * The upload's card reaches done with its variants, after a cut past 45 % of
 * the file, and the API read at most 55 % of it after the cut: started over,
 * it would have read the whole file again.
 * @returns what the API had read of resumable uploads in the end.
 */
async function expectFinishedWithoutStartingOver(
  testInfo: TestInfo,
  upload: Locator,
  photo: BigPhoto,
  before: number,
  atCut: number,
): Promise<number> {
  await expect(upload).toHaveAttribute("data-status", "completed", { timeout: 60_000 });
  expect(await variantCount(upload)).toBe(6);
  const after = await stack.apiMetric(BYTES_RECEIVED);
  noteBytes(testInfo, photo, atCut - before, after - atCut);
  expect(atCut - before).toBeGreaterThan(0.45 * photo.bytes);
  expect(atCut - before).toBeLessThan(photo.bytes);
  expect(after - atCut).toBeLessThanOrEqual(0.55 * photo.bytes);
  return after;
}

/** The numbers behind the verdict, in the report. */
function noteBytes(testInfo: TestInfo, photo: BigPhoto, beforeCut: number, afterCut: number): void {
  const share = (bytes: number) => `${((bytes / photo.bytes) * 100).toFixed(1)} %`;
  testInfo.annotations.push({
    type: "bytes received",
    description: `${photo.bytes} B file: ${share(beforeCut)} before the cut, ${share(afterCut)} after it`,
  });
  console.log(`${testInfo.title}: ${testInfo.annotations.at(-1)!.description}`);
}

async function throttleUploads(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: UPLOAD_BYTES_PER_S,
  });
}

async function untilReceived(bytes: number): Promise<void> {
  await expect
    .poll(() => stack.apiMetric(BYTES_RECEIVED), { intervals: [50], timeout: 30_000 })
    .toBeGreaterThanOrEqual(bytes);
}

/** The count once it has stopped moving. */
async function settledMetric(): Promise<number> {
  let last = await stack.apiMetric(BYTES_RECEIVED);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await stack.apiMetric(BYTES_RECEIVED);
    if (now === last) return now;
    last = now;
  }
}
