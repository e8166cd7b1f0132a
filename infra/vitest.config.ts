import { mergeConfig } from "vitest/config";
import { withDevstack } from "../vitest.shared";

// The bundles test builds and deploys two apps before it starts them.
export default mergeConfig(withDevstack, { test: { hookTimeout: 300_000, testTimeout: 120_000 } });
