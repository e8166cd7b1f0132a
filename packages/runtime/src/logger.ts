import { pino, type Logger } from "pino";
import { z } from "zod";

export const logEnvSchema = z.object({
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type { Logger };

/** JSON lines on stdout, one logger per process; child loggers add the upload id. */
export function createLogger(service: string, level: string): Logger {
  return pino({ level, base: { service } });
}
