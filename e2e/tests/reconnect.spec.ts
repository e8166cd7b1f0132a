import { readManifest } from "@darkroom/storage";
import type { WebSocketRoute } from "@playwright/test";
import { expect, test } from "./support/test";
import { backstage, type Backstage } from "./support/backstage";
import { card, thumbnailOf, uploadIdOf } from "./support/page-watch";
import { photoFiles } from "./support/photos";

let stack: Backstage;
test.beforeAll(() => {
  stack = backstage();
});
test.afterAll(() => stack.close());

test("catches up after the socket is cut while jobs run: every card reaches its true end", async ({
  page,
}) => {
  // Every socket.io connection goes through here, so the test can cut it, and keep it cut.
  let cut = false;
  const sockets: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/socket\.io\//, (socket) => {
    if (cut) return void socket.close();
    socket.connectToServer();
    sockets.push(socket);
  });
  await page.route(/\/socket\.io\//, (route) =>
    cut ? route.abort("internetdisconnected") : route.continue(),
  );
  const photos = await photoFiles("reconnect", 3);
  await page.goto("/");

  await stack.queue.pause();
  const ids: string[] = [];
  try {
    await page.getByLabel("Choose photos").setInputFiles(photos);
    for (const photo of photos) {
      ids.push(await uploadIdOf(page, photo.name));
    }
    // The page connects once it has an upload to follow.
    await expect.poll(() => sockets.length).toBeGreaterThan(0);
    cut = true;
    await Promise.all(sockets.map((socket) => socket.close()));
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

  cut = false;

  for (const photo of photos) {
    const upload = card(page, photo.name);
    await expect(upload).toHaveAttribute("data-status", "completed", { timeout: 30_000 });
    await expect(thumbnailOf(upload)).toBeVisible();
  }
});
