import { createLogger, exitOnSignals } from "@darkroom/runtime";
import { loadConfig } from "./env";
import { startApiServer } from "./server";

const config = loadConfig();
const logger = createLogger("api", config.logLevel);
const api = await startApiServer(config, logger);
exitOnSignals(logger, () => api.close());
