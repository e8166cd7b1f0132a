import { defineConfig, mergeConfig } from "vitest/config";

/** Settings every package's tests share: the JSON report is what `.ci/run` totals. */
const shared = defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
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
