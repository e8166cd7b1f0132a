import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared";

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // One Redis and one S3 server for the run; each test file isolates itself in them.
      globalSetup: ["@darkroom/devstack/vitest-global-setup"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  }),
);
