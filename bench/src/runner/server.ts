import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { BENCH_SOCKET_PATH } from "@darkroom/contracts";
import type { Logger } from "@darkroom/runtime";
import { createS3Storage } from "@darkroom/storage";
import { Server } from "socket.io";
import { BenchRuns } from "./bench-runs";
import type { RunnerConfig } from "./env";
import { createRunnerApp } from "./runner-app";
import { attachRunsRealtime, WATCHERS, type RunsSocketServer } from "./runs-realtime";

export interface BenchRunner {
  url: string;
  /** Stops the run going on, if any, then the server. */
  close(): Promise<void>;
}

/**
 * The benchmark runner: starts runs against the API for the compare page and
 * streams them over socket.io. A development tool: it listens on 127.0.0.1
 * only, and no deployment runs it.
 */
export async function startBenchRunner(config: RunnerConfig, logger: Logger): Promise<BenchRunner> {
  const runs = new BenchRuns({
    target: { apiUrl: config.apiUrl, s3: config.s3 },
    storage: createS3Storage(config.s3),
    logger,
    onStarted: (run) => io.to(WATCHERS).emit("bench:started", run),
    onEvent: (runId, event) => io.to(WATCHERS).emit("bench:event", runId, event),
    onFinished: (run) => io.to(WATCHERS).emit("bench:finished", run),
  });
  const server = createServer(createRunnerApp(runs, config, logger));
  const io: RunsSocketServer = new Server(server, { path: BENCH_SOCKET_PATH, serveClient: false });
  attachRunsRealtime(io, runs);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, "127.0.0.1", resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  logger.info({ url, apiUrl: config.apiUrl }, "bench runner listening");

  return {
    url,
    async close() {
      await runs.close();
      // Closes the HTTP server too.
      await io.close();
    },
  };
}
