import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../vitest.shared";

// Each file starts a whole stack of its own and loads it, on a machine that
// may have two cores: one file at a time, each given minutes.
export default mergeConfig(
  shared,
  defineConfig({ test: { fileParallelism: false, testTimeout: 180_000, hookTimeout: 120_000 } }),
);
