// The benchmark runner, for the compare page in development: `pnpm dev` starts it.
import { createLogger, exitOnSignals } from "@darkroom/runtime";
import { loadRunnerConfig } from "./env";
import { startBenchRunner } from "./server";

const config = loadRunnerConfig();
const logger = createLogger("bench-runner", config.logLevel);
const runner = await startBenchRunner(config, logger);
exitOnSignals(logger, () => runner.close());
