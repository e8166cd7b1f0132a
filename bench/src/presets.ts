/** One benchmark workload; both modes run it in turn. */
export interface Workload {
  /** Uploads per mode. */
  count: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Photo size in pixels. */
  width: number;
  height: number;
  /** The client gives up on a request after this long, as a browser or proxy would. */
  timeoutMs: number;
  /** Worker processes, each running one job per core. */
  workers: number;
}

export const PRESETS = {
  /** Seconds: proves the harness end to end. */
  smoke: { count: 6, concurrency: 3, width: 1200, height: 800, timeoutMs: 60_000, workers: 1 },
  /** A few minutes: a realistic burst at 50 concurrent. */
  default: { count: 300, concurrency: 50, width: 3000, height: 2000, timeoutMs: 120_000, workers: 1 },
  /** The headline: 1,000 uploads at once, against a 30 s client timeout. */
  "seed-1k": { count: 1000, concurrency: 1000, width: 2400, height: 1600, timeoutMs: 30_000, workers: 1 },
} as const satisfies Record<string, Workload>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
