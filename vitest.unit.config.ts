import { defineConfig } from "vitest/config";

/**
 * The fast tier, `pnpm test:unit`: every package's `test/unit/` in one run,
 * in-process, against in-memory fakes of storage and the queue. No Redis, no
 * S3, no child process. The packages' own `test` scripts run these too,
 * beside the tests on real services.
 */
export default defineConfig({
  test: {
    include: ["{apps,packages}/*/test/unit/**/*.test.ts", "bench/test/unit/**/*.test.ts"],
  },
});
