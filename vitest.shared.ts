import { defineConfig } from "vitest/config";

/** Settings every package's tests share: the JSON report is what `.ci/run` totals. */
export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});
