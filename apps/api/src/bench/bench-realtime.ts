import type { RealtimeServer } from "../realtime/realtime";
import type { BenchRuns } from "./bench-runs";

export const BENCH_ROOM = "bench";

/** Lets compare pages follow benchmark runs: the current one first, then every event. */
export function attachBenchRealtime(io: RealtimeServer, runs: BenchRuns): void {
  io.on("connection", (socket) => {
    socket.on("bench:watch", async (reply) => {
      if (typeof reply !== "function") return;
      await socket.join(BENCH_ROOM);
      reply(runs.running() ?? null);
    });
  });
}
