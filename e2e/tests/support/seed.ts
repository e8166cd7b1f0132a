import type { Page } from "@playwright/test";
import type { PhotoFile } from "./photos";

/** How many uploads a seed sends at once: within the API's per-client limit of 8. */
const AT_ONCE = 4;

/**
 * Uploads `photos` through the API with the page's own session (its
 * cookie), as the page itself would but without its file picker, and waits
 * until every one is done: a gallery to test, quickly. Returns their ids.
 */
export async function seedUploads(page: Page, photos: PhotoFile[]): Promise<string[]> {
  // The browser's session, which the uploads will belong to.
  await page.request.get("/api/sessions/current");
  const ids: string[] = [];
  for (let start = 0; start < photos.length; start += AT_ONCE) {
    const batch = await Promise.all(
      photos.slice(start, start + AT_ONCE).map(async (photo) => {
        const response = await page.request.post("/api/uploads", { multipart: { file: photo } });
        if (response.status() !== 202) throw new Error(`Seeding ${photo.name}: ${response.status()}`);
        return ((await response.json()) as { id: string }).id;
      }),
    );
    ids.push(...batch);
  }
  await untilDone(page, ids);
  return ids;
}

/** Polls the listing (one read for them all: reads are rate-limited) until every upload is done. */
async function untilDone(page: Page, ids: string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await page.request.get("/api/uploads?limit=100");
    const { uploads } = (await response.json()) as { uploads: { id: string; status: string }[] };
    const status = new Map(uploads.map((upload) => [upload.id, upload.status]));
    if (ids.some((id) => status.get(id) === "failed")) throw new Error("A seeded upload failed");
    if (ids.every((id) => status.get(id) === "completed")) return;
    if (Date.now() > deadline) throw new Error(`Seeded uploads not done within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
