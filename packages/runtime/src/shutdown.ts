import type { Logger } from "pino";

/**
 * Runs `shutdown` on the first SIGTERM or SIGINT and exits when it is done.
 * A second signal exits at once, and so does a shutdown that takes longer than
 * `timeoutMs` (for example while Redis is unreachable).
 */
export function exitOnSignals(logger: Logger, shutdown: () => Promise<void>, timeoutMs = 30_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    setTimeout(() => {
      logger.error({ timeoutMs }, "shutdown took too long: exiting now");
      process.exit(1);
    }, timeoutMs).unref();
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
