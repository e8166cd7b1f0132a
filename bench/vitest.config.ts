import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../vitest.shared";

// The smoke run starts a whole stack and loads it: give it minutes, not seconds.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 300_000 } }));
