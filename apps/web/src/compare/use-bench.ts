import type { BenchEvent, BenchMode, BenchRun, BenchRunRequest, ErrorBody } from "@darkroom/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
import { sharedSocket } from "../api/socket";

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
  /** Undefined until the server has said. */
  enabled: boolean | undefined;
  runs: BenchRun[];
  /** The run shown: the one going on, or the one picked from the list. */
  shown: BenchRun | undefined;
  phase: string;
  live: Record<BenchMode, ModeLive>;
  error: string | undefined;
}

const emptyLive = (): Record<BenchMode, ModeLive> => ({
  sync: { responses: [], results: [], depth: [] },
  queued: { responses: [], results: [], depth: [] },
});

const copy = (mode: ModeLive): ModeLive => ({
  responses: [...mode.responses],
  results: [...mode.results],
  depth: [...mode.depth],
});

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

/** Benchmark runs on the server: starts them, follows the current one live, and lists past ones. */
export function useBench() {
  const [state, setState] = useState<BenchState>({
    enabled: undefined,
    runs: [],
    shown: undefined,
    phase: "",
    live: emptyLive(),
    error: undefined,
  });
  const pending = useRef<{ runId: string; events: BenchEvent[] }>({ runId: "", events: [] });

  useEffect(() => {
    const socket = sharedSocket();
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
        const live = { sync: copy(s.live.sync), queued: copy(s.live.queued) };
        let phase = s.phase;
        for (const event of events) phase = apply(live, event) ?? phase;
        return { ...s, live, phase };
      });
    };
    const watch = () =>
      socket.emit("bench:watch", (current) => {
        if (current) begin(current.run, current.events);
      });

    socket.on("bench:started", begin);
    socket.on("bench:event", onEvent);
    socket.on("bench:finished", onFinished);
    socket.on("connect", watch);
    if (socket.connected) watch();
    const timer = setInterval(flush, FLUSH_MS);
    void fetch("/api/bench/runs")
      .then((response) => response.json() as Promise<{ enabled: boolean; runs: BenchRun[] }>)
      .then(({ enabled, runs }) =>
        setState((s) => ({ ...s, enabled, runs, shown: s.shown ?? runs.find((r) => r.report) })),
      );
    return () => {
      clearInterval(timer);
      socket.off("bench:started", begin);
      socket.off("bench:event", onEvent);
      socket.off("bench:finished", onFinished);
      socket.off("connect", watch);
    };
  }, []);

  const start = useCallback(async (request: BenchRunRequest) => {
    const response = await fetch("/api/bench/runs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    if (!response.ok) {
      const { error } = (await response.json()) as ErrorBody;
      setState((s) => ({ ...s, error: error.message }));
    }
  }, []);

  const show = useCallback((run: BenchRun) => {
    setState((s) => (s.shown?.status === "running" ? s : { ...s, shown: run, live: emptyLive(), phase: "" }));
  }, []);

  return { state, start, show };
}
