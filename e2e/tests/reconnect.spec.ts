import { readManifest } from "@darkroom/storage";
import { expect, test } from "./support/test";
import { backstage, type Backstage } from "./support/backstage";
import { card, thumbnailOf, uploadIdOf } from "./support/page-watch";
import { photoFiles } from "./support/photos";

let stack: Backstage;
test.beforeAll(() => {
  stack = backstage();
});
test.afterAll(() => stack.close());

test("catches up after the network drops while jobs run: every card reaches its true end", async ({
  page,
  context,
}) => {
  const polled: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("transport=polling")) polled.push(request.url());
  });
  const photos = await photoFiles("reconnect", 3);
  await page.goto("/");
  // The page connects once it has an upload to follow.
  const connected = page.waitForEvent("websocket").then((socket) => socket.waitForEvent("framereceived"));

  await stack.queue.pause();
  const ids: string[] = [];
  try {
    await page.getByLabel("Choose photos").setInputFiles(photos);
    for (const photo of photos) ids.push(await uploadIdOf(page, photo.name));
    await connected;
    expect(polled, "a WebSocket from the start, with no polling to upgrade from").toEqual([]);
    // The browser says it is offline, its socket closes, and every new one fails to connect.
    await context.setOffline(true);
  } finally {
    await stack.queue.resume();
  }

  // Done on the server while the page heard nothing of it.
  await expect
    .poll(async () => Promise.all(ids.map(async (id) => (await readManifest(stack.storage, id))?.status)), {
      timeout: 45_000,
    })
    .toEqual(["completed", "completed", "completed"]);
  for (const photo of photos)
    await expect(card(page, photo.name)).not.toHaveAttribute("data-status", "completed");

  await context.setOffline(false);

  for (const photo of photos) {
    const upload = card(page, photo.name);
    await expect(upload).toHaveAttribute("data-status", "completed", { timeout: 30_000 });
    await expect(thumbnailOf(upload)).toBeVisible();
  }
});
