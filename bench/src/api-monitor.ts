/** What the API's /metrics said, sampled through a run. */
export interface ApiSamples {
  peakRssBytes: number;
  /** Worst p99 event-loop lag of any sampling window. */
  eventLoopLagP99Ms: number;
}

const RSS = /^process_resident_memory_bytes (\S+)$/m;
const LAG_P99 = /^nodejs_eventloop_lag_p99_seconds (\S+)$/m;

/** Scrapes the API's /metrics every `intervalMs` until stopped. */
export function monitorApi(apiUrl: string, intervalMs = 250): { stop(): Promise<ApiSamples> } {
  const samples: ApiSamples = { peakRssBytes: 0, eventLoopLagP99Ms: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const text = await (await fetch(`${apiUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
        samples.peakRssBytes = Math.max(samples.peakRssBytes, Number(RSS.exec(text)?.[1] ?? 0));
        samples.eventLoopLagP99Ms = Math.max(
          samples.eventLoopLagP99Ms,
          Number(LAG_P99.exec(text)?.[1] ?? 0) * 1000,
        );
      } catch {
        // A saturated API may miss a scrape; the next one counts.
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}
