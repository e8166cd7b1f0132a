import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { typeScriptEntry } from "@darkroom/devstack";
import { afterAll, describe, expect, it } from "vitest";
import { BENCH_PRESETS, benchReportSchema } from "@darkroom/contracts";

const CLI = join(import.meta.dirname, "../src/cli.ts");

describe("pnpm bench --preset smoke", () => {
  let out: string | undefined;
  afterAll(() => out && rm(out, { recursive: true, force: true }));

  // Checks that the harness reports everything; speed is the benchmark's business, not a test's.
  it("starts its own stack, loads every mode and writes a complete report", async () => {
    out = await mkdtemp(join(tmpdir(), "darkroom-bench-"));

    await promisify(execFile)(process.execPath, typeScriptEntry(CLI, "--preset", "smoke", "--out", out), {
      env: { ...process.env, LOG_LEVEL: "warn" },
    });

    const report = benchReportSchema.parse(JSON.parse(await readFile(join(out, "latest.json"), "utf8")));
    const { count } = BENCH_PRESETS.smoke;
    for (const mode of ["queued", "sync", "direct", "resumable"] as const) {
      const result = report.modes[mode]!;
      expect(result.responseTimesMs).toHaveLength(count);
      expect(result.response.count).toBe(count);
      expect(result.accepted + result.failures.total).toBeGreaterThanOrEqual(count);
    }
    expect(report.modes.queued.timeToResult.count).toBe(report.modes.queued.accepted);
    expect(report.modes.resumable!.timeToResult.count).toBe(report.modes.resumable!.accepted);
    const direct = report.modes.direct!;
    expect(direct.timeToResult.count).toBe(direct.accepted);
    // The API's share is its two calls; the client's whole time adds the PUT to storage.
    expect(direct.direct).toMatchObject({ sign: { count }, complete: { count }, clientTotal: { count } });
    expect(direct.direct!.clientTotal.p50).toBeGreaterThan(
      direct.direct!.sign.p50 + direct.direct!.complete.p50,
    );
    // The API's own time, from Server-Timing, is within what the client waited.
    expect(direct.direct).toMatchObject({
      signInApi: { count },
      completeInApi: { count },
      checkInApi: { count },
    });
    expect(direct.direct!.completeInApi!.max).toBeLessThanOrEqual(direct.direct!.complete.max);
    expect(direct.direct!.checkInApi!.p50).toBeLessThanOrEqual(direct.direct!.completeInApi!.p50);
    // The warm-up leaves a history, so uploads get an ETA, and the report says which way it erred.
    for (const mode of ["queued", "direct", "resumable"] as const) {
      const { eta, accepted } = report.modes[mode]!;
      expect(eta!.predictions).toBeGreaterThan(0);
      expect(eta!.predictions).toBeLessThanOrEqual(accepted);
      expect(eta!.tooLong).toBeGreaterThanOrEqual(0);
      expect(eta!.tooLong).toBeLessThanOrEqual(1);
    }
    expect(Object.values(report.ratios).every(Number.isFinite)).toBe(true);
    const markdown = await readFile(join(out, "latest.md"), "utf8");
    expect(markdown).toContain("sync p95 ÷ queued p95");
    expect(markdown).toContain("direct accept rate ÷ raw S3 PUT rate");
    expect(markdown).toContain("resumable accept rate ÷ raw S3 PUT rate");
    expect((await readFile(join(out, "latest.svg"), "utf8")).match(/<polyline/g)).toHaveLength(4);
    // The encoder settings side by side: the ones before, the chosen ones, and those with AVIF.
    const { encoders } = report.baselines;
    expect(encoders?.photoSets.map((set) => set.kind)).toEqual(["noise", "texture"]);
    for (const { results } of encoders!.photoSets) {
      expect(results.map((result) => [result.settings, result.variants.length])).toEqual([
        ["before", 6],
        ["chosen", 6],
        ["chosen + AVIF", 9],
      ]);
      for (const result of results) {
        expect(result.cpuMs).toBeGreaterThan(0);
        expect(Object.keys(result.stages)).toContain("large webp");
        for (const { ssim } of result.variants) expect(ssim).toBeGreaterThan(0.5);
      }
    }
    expect(markdown).toContain("| chosen + AVIF |");
  });
});
