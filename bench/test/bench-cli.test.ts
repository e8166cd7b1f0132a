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
  it("starts its own stack, loads both modes and writes a complete report", async () => {
    out = await mkdtemp(join(tmpdir(), "darkroom-bench-"));

    await promisify(execFile)(process.execPath, typeScriptEntry(CLI, "--preset", "smoke", "--out", out), {
      env: { ...process.env, LOG_LEVEL: "warn" },
    });

    const report = benchReportSchema.parse(JSON.parse(await readFile(join(out, "latest.json"), "utf8")));
    const { count } = BENCH_PRESETS.smoke;
    for (const mode of ["queued", "sync"] as const) {
      expect(report.modes[mode].responseTimesMs).toHaveLength(count);
      expect(report.modes[mode].response.count).toBe(count);
      expect(report.modes[mode].accepted + report.modes[mode].failures.total).toBeGreaterThanOrEqual(count);
    }
    expect(report.modes.queued.timeToResult.count).toBe(report.modes.queued.accepted);
    expect(Object.values(report.ratios).every(Number.isFinite)).toBe(true);
    expect(await readFile(join(out, "latest.md"), "utf8")).toContain("sync p95 ÷ queued p95");
    expect(await readFile(join(out, "latest.svg"), "utf8")).toMatch(/^<svg[\s\S]*<polyline[\s\S]*<polyline/);
  });
});
