import type { BenchClientToServerEvents, BenchServerToClientEvents } from "@darkroom/contracts";
import type { Server } from "socket.io";
import type { BenchRuns } from "./bench-runs";

export type RunsSocketServer = Server<BenchClientToServerEvents, BenchServerToClientEvents>;

/** The room of the clients that follow runs. */
export const WATCHERS = "bench";

/** Lets compare pages follow runs: the one going on first, then every event. */
export function attachRunsRealtime(io: RunsSocketServer, runs: BenchRuns): void {
  io.on("connection", (socket) => {
    socket.on("bench:watch", async (reply) => {
      if (typeof reply !== "function") return;
      await socket.join(WATCHERS);
      reply(runs.running() ?? null);
    });
  });
}
