import type { Request } from "@playwright/test";
import { expect, test } from "./support/test";
import { card, variantCount } from "./support/page-watch";
import { photoFiles } from "./support/photos";

/** The request that carries a mode's bytes. (Resumable: see resumable.spec.ts.) */
const CARRIERS = [
  { mode: "Queued", carries: (request: Request) => isApiPost(request, "/api/uploads") },
  { mode: "Sync", carries: (request: Request) => isApiPost(request, "/api/uploads/sync") },
  {
    mode: "Direct",
    carries: (request: Request) =>
      request.method() === "PUT" && new URL(request.url()).pathname.includes("/originals/"),
  },
] as const;

function isApiPost(request: Request, path: string): boolean {
  return request.method() === "POST" && new URL(request.url()).pathname === path;
}

for (const { mode, carries } of CARRIERS) {
  test(`${mode}: an upload whose connection resets is sent again, and done once`, async ({ page }) => {
    const [photo] = await photoFiles(`retry-${mode.toLowerCase()}`, 1);
    const tries: Request[] = [];
    await page.route(
      (url) => url.protocol === "http:",
      async (route) => {
        if (!carries(route.request())) return route.fallback();
        tries.push(route.request());
        return tries.length === 1 ? route.abort("connectionreset") : route.continue();
      },
    );
    await page.goto("/");
    await page.getByRole("radio", { name: new RegExp(mode) }).check();

    await page.getByLabel("Choose photos").setInputFiles(photo!);

    const upload = card(page, photo!.name);
    await expect(upload).toHaveAttribute("data-status", "completed", { timeout: 45_000 });
    expect(await variantCount(upload)).toBe(6);
    expect(tries).toHaveLength(2);
    // The same key both times: had the first try reached the API, the second would get its answer, not a copy.
    if (mode !== "Direct") {
      const [first, second] = await Promise.all(
        tries.map((request) => request.headerValue("idempotency-key")),
      );
      expect(first).toMatch(/^[0-9a-f]{32}$/);
      expect(second).toBe(first);
    }
    await page.reload();
    await expect(card(page, photo!.name)).toHaveCount(1);
  });
}

test("Direct: an upload whose PUT fails more often than the uploader retries is signed and sent again, and done once", async ({
  page,
}) => {
  const [photo] = await photoFiles("retry-direct-resigned", 1);
  const puts: Request[] = [];
  const signs: Request[] = [];
  await page.route(
    (url) => url.protocol === "http:",
    async (route) => {
      const request = route.request();
      if (isApiPost(request, "/api/uploads/direct")) signs.push(request);
      if (request.method() !== "PUT") return route.fallback();
      puts.push(request);
      // The plugin's own fetcher tries a PUT 4 times in all.
      return puts.length <= 4 ? route.abort("connectionreset") : route.continue();
    },
  );
  await page.goto("/");
  await page.getByRole("radio", { name: /Direct/ }).check();

  await page.getByLabel("Choose photos").setInputFiles(photo!);

  const upload = card(page, photo!.name);
  await expect(upload).toHaveAttribute("data-status", "completed", { timeout: 45_000 });
  expect(puts).toHaveLength(5);
  expect(signs).toHaveLength(2);
  // The second try went to the URL of its own signing.
  expect(puts[4]!.url()).not.toBe(puts[0]!.url());
  await page.reload();
  await expect(card(page, photo!.name)).toHaveCount(1);
});
