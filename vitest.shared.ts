import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";

/**
 * Settings every package's tests share: the JSON report is what `.ci/run`
 * totals. Test processes load tsx, as `pnpm dev` runs the apps: the threads a
 * test starts (the render pool's) inherit it and run TypeScript source too.
 */
const shared = defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
    execArgv: ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href],
  },
});
export default shared;

/** For tests against real services: one Redis and one S3 server for the run; each test file isolates itself in them. */
export const withDevstack = mergeConfig(
  shared,
  defineConfig({
    test: {
      globalSetup: ["@darkroom/devstack/vitest-global-setup"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  }),
);
