import { expect, test } from "./support/test";
import { adminCredentials } from "./support/backstage";

// Starting a run loads the API with hundreds of uploads: only the admin may.
test.use({ httpCredentials: adminCredentials() });

test("runs a smoke benchmark from the compare page and shows the verdict for every mode", async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await page.goto("/compare");

  await page.getByLabel("Preset").selectOption("smoke");
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page.getByRole("button", { name: "Running…" })).toBeDisabled();
  await expect(page.getByText("Run: done")).toBeVisible({ timeout: 200_000 });

  for (const mode of ["sync", "queued", "direct", "resumable"]) {
    await expect(
      page.getByRole("img", { name: `${mode} time to response, per request` }).locator("circle"),
    ).toHaveCount(6);
  }
  const verdict = page.getByRole("table", { name: "Verdict" });
  for (const measure of [/^response p95/, /^accepted per second/, /^time to result p95/]) {
    const cells = verdict.getByRole("row", { name: measure }).getByRole("cell");
    for (const column of [0, 1, 2, 3]) await expect(cells.nth(column)).toHaveText(/\d/);
  }
  const ratios = page.getByRole("table", { name: "Ratios" });
  await expect(ratios).toContainText("sync p95 ÷ queued p95");
  await expect(ratios).toContainText("direct accept rate ÷ raw S3 PUT rate");
  await expect(ratios).toContainText("resumable accept rate ÷ raw S3 PUT rate");
  await expect(page.getByRole("region", { name: "Past runs" }).getByRole("button")).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath("compare-page.png"), fullPage: true });
});

test("without a benchmark runner, as in a deployment, says runs are available only in development", async ({
  page,
}) => {
  // What a deployment's API answers: it has no benchmark runs (the bench tests check it does).
  await page.route("**/api/bench/runs", (route) =>
    route.fulfill({
      status: 404,
      json: { error: { code: "NOT_FOUND", message: "No route for GET /api/bench/runs" } },
    }),
  );
  await page.goto("/compare");

  await expect(page.getByText("Benchmark runs are available only in development")).toBeVisible();
  await expect(page.getByRole("button", { name: "Start run" })).toBeDisabled();
});
