import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["@darkroom/devstack/vitest-global-setup"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
