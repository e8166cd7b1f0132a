import {
  BENCH_SOCKET_PATH,
  benchModeSchema,
  type BenchClientToServerEvents,
  type BenchEvent,
  type BenchMode,
  type BenchRun,
  type BenchRunRequest,
  type BenchServerToClientEvents,
} from "@darkroom/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { api, errorDetailOf } from "../api/client";
import { SOCKET_TRANSPORTS } from "../api/socket";

export interface ResponseSample {
  index: number;
  ms: number;
  ok: boolean;
  kind: string;
}

export interface ModeLive {
  responses: ResponseSample[];
  /** Time to result of each finished upload, ms. */
  results: number[];
  /** Jobs accepted and not yet finished, over time (ms since the mode started). */
  depth: { at: number; inFlight: number }[];
}

export interface BenchState {
  /**
   * Whether a benchmark runner answers: `pnpm dev` starts one, a deployment
   * has none. Undefined until it has been asked.
   */
  available: boolean | undefined;
  runs: BenchRun[];
  /** The run shown: the one going on, or the one picked from the list. */
  shown: BenchRun | undefined;
  phase: string;
  live: Record<BenchMode, ModeLive>;
  error: string | undefined;
}

/** One of each, for every mode a run measures. */
const byMode = <T>(make: (mode: BenchMode) => T) =>
  Object.fromEntries(benchModeSchema.options.map((mode) => [mode, make(mode)])) as Record<BenchMode, T>;

const emptyLive = () => byMode<ModeLive>(() => ({ responses: [], results: [], depth: [] }));

const copy = (mode: ModeLive): ModeLive => ({
  responses: [...mode.responses],
  results: [...mode.results],
  depth: [...mode.depth],
});

type BenchSocket = Socket<BenchServerToClientEvents, BenchClientToServerEvents>;

/** How often buffered events are drawn: a run sends thousands. */
const FLUSH_MS = 250;

function apply(live: Record<BenchMode, ModeLive>, event: BenchEvent): string | undefined {
  switch (event.type) {
    case "phase":
      return event.message;
    case "response":
      live[event.mode].responses.push({
        index: event.index,
        ms: event.ms,
        ok: event.outcome === "ok",
        kind: event.outcome === "status" ? String(event.status) : event.outcome,
      });
      return undefined;
    case "result":
      live[event.mode].results.push(event.ms);
      return undefined;
    case "depth":
      live[event.mode].depth.push({ at: event.at, inFlight: event.inFlight });
      return undefined;
  }
}

/**
 * Benchmark runs, from the benchmark runner of the development stack: starts
 * them, follows the current one live, and lists past ones. Where no runner
 * answers, as in a deployment, it says so and opens no connection.
 */
export function useBench() {
  const [state, setState] = useState<BenchState>({
    available: undefined,
    runs: [],
    shown: undefined,
    phase: "",
    live: emptyLive(),
    error: undefined,
  });
  const pending = useRef<{ runId: string; events: BenchEvent[] }>({ runId: "", events: [] });

  useEffect(() => {
    let socket: BenchSocket | undefined;
    let unmounted = false;
    const begin = (run: BenchRun, events: BenchEvent[] = []) => {
      pending.current = { runId: run.id, events: [...events] };
      setState((s) => ({ ...s, shown: run, phase: "starting", live: emptyLive(), error: undefined }));
    };
    const onEvent = (runId: string, event: BenchEvent) => {
      if (runId === pending.current.runId) pending.current.events.push(event);
    };
    const onFinished = (run: BenchRun) => {
      flush();
      setState((s) => ({
        ...s,
        shown: s.shown?.id === run.id ? run : s.shown,
        runs: [run, ...s.runs.filter((r) => r.id !== run.id)],
        phase: run.status === "failed" ? `failed: ${run.error ?? "unknown reason"}` : "done",
      }));
    };
    const flush = () => {
      const events = pending.current.events.splice(0);
      if (events.length === 0) return;
      setState((s) => {
        const live = byMode((mode) => copy(s.live[mode]));
        let phase = s.phase;
        for (const event of events) phase = apply(live, event) ?? phase;
        return { ...s, live, phase };
      });
    };
    const follow = (): BenchSocket => {
      const runner: BenchSocket = io({ path: BENCH_SOCKET_PATH, ...SOCKET_TRANSPORTS });
      runner.on("connect", () =>
        runner.emit("bench:watch", (current) => {
          if (current) begin(current.run, current.events);
        }),
      );
      runner.on("bench:started", begin);
      runner.on("bench:event", onEvent);
      runner.on("bench:finished", onFinished);
      return runner;
    };

    const timer = setInterval(flush, FLUSH_MS);
    api.benchRuns().then(
      (runs) => {
        if (unmounted) return;
        setState((s) => ({ ...s, available: true, runs, shown: s.shown ?? runs.find((r) => r.report) }));
        socket = follow();
      },
      (error: unknown) => {
        if (unmounted) return;
        const detail = errorDetailOf(error);
        // 404 is the API's answer: no runner stands in front of it.
        const runnerAway =
          detail.code === "NOT_FOUND"
            ? undefined
            : `No benchmark runner answers (pnpm dev starts one): ${detail.message}`;
        setState((s) => ({ ...s, available: false, error: runnerAway }));
      },
    );
    return () => {
      unmounted = true;
      clearInterval(timer);
      socket?.close();
    };
  }, []);

  const start = useCallback(async (request: BenchRunRequest) => {
    try {
      await api.startBenchRun(request);
    } catch (error) {
      setState((s) => ({ ...s, error: errorDetailOf(error).message }));
    }
  }, []);

  const show = useCallback((run: BenchRun) => {
    setState((s) => (s.shown?.status === "running" ? s : { ...s, shown: run, live: emptyLive(), phase: "" }));
  }, []);

  return { state, start, show };
}
