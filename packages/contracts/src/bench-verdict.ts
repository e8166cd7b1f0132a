import { ERROR_CATALOGUE } from "./errors";
import { benchModeSchema, type BenchMode, type BenchReport, type ModeResult } from "./bench";

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value).toLocaleString("en")} ms` : "–");
const rate = (value: number) => `${value.toFixed(1)}/s`;
const ratio = (value: number) => `${value.toFixed(2)}×`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const share = (value: number) => (Number.isFinite(value) ? `${Math.round(value * 100)} %` : "–");

function failures(result: ModeResult): string {
  const parts = [
    ...Object.entries(result.failures.byStatus).map(([status, count]) => `${count}× ${status}`),
    result.failures.timeout && `${result.failures.timeout}× timeout`,
    result.failures.connection && `${result.failures.connection}× connection`,
    result.failures.processing && `${result.failures.processing}× job failed`,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "0";
}

/** The modes a report measured, in the order its tables show them. */
export function reportModes(report: BenchReport): BenchMode[] {
  return benchModeSchema.options.filter((mode) => report.modes[mode] !== undefined);
}

/** The verdict table, shaped like the article's: one row per measure, one column per mode of `reportModes`. */
export function verdictRows(report: BenchReport): string[][] {
  const results = reportModes(report).map((mode) => report.modes[mode]!);
  const row = (label: string, pick: (result: ModeResult) => string) => [label, ...results.map(pick)];
  return [
    row("response p50", (r) => ms(r.response.p50)),
    row("response p95", (r) => ms(r.response.p95)),
    row("response p99", (r) => ms(r.response.p99)),
    row("response max", (r) => ms(r.response.max)),
    row("accepted", (r) => `${r.accepted} of ${report.workload.count}`),
    row("accepted per second", (r) => rate(r.acceptedPerSecond)),
    row("failures", failures),
    row("time to result p50", (r) => ms(r.timeToResult.p50)),
    row("time to result p95", (r) => ms(r.timeToResult.p95)),
    row("time to result p99", (r) => ms(r.timeToResult.p99)),
    row("drain time", (r) => `${r.drainSeconds.toFixed(1)} s`),
    row("ETA error p50 / p90", (r) =>
      r.eta
        ? `${share(r.eta.errorP50)} / ${share(r.eta.errorP90)} (${r.eta.predictions}` +
          (r.eta.tooLong === undefined ? ")" : `, ${share(r.eta.tooLong)} too long)`)
        : "–",
    ),
    row("API peak RSS", (r) => mb(r.api.peakRssBytes)),
    row("API event-loop lag p99", (r) => ms(r.api.eventLoopLagP99Ms)),
  ];
}

export function ratioRows(report: BenchReport): [string, string, string][] {
  const { baselines, ratios, modes } = report;
  const direct = modes.direct?.direct;
  return [
    ["sync p95 ÷ queued p95", ratio(ratios.syncP95OverQueuedP95), "how much sooner queued answers"],
    [
      "queued accept rate ÷ raw S3 PUT rate",
      ratio(ratios.queuedAcceptOverS3Put),
      `raw PUT ${rate(baselines.s3Put.perSecond)} at ${baselines.s3Put.concurrency} concurrent`,
    ],
    [
      "worker drain rate ÷ raw imaging rate",
      ratio(ratios.workerDrainOverImaging),
      `raw imaging ${rate(baselines.imaging.perSecond)} at ${baselines.imaging.concurrency} parallel`,
    ],
    ...(ratios.imagingIsolatedOverInProcess === undefined || !baselines.imagingIsolated
      ? []
      : ([
          [
            "raw imaging on threads ÷ in-process",
            ratio(ratios.imagingIsolatedOverInProcess),
            `render pool ${rate(baselines.imagingIsolated.perSecond)}, in-process ${rate(baselines.imaging.perSecond)}`,
          ],
        ] as [string, string, string][])),
    ...(ratios.directAcceptOverS3Put === undefined
      ? []
      : ([
          [
            "direct accept rate ÷ raw S3 PUT rate",
            ratio(ratios.directAcceptOverS3Put),
            `raw PUT ${rate(baselines.s3Put.perSecond)} at ${baselines.s3Put.concurrency} concurrent`,
          ],
        ] as [string, string, string][])),
    ...(ratios.resumableAcceptOverS3Put === undefined
      ? []
      : ([
          [
            "resumable accept rate ÷ raw S3 PUT rate",
            ratio(ratios.resumableAcceptOverS3Put),
            "tus: create, then the whole file in one PATCH, through the API into S3 parts",
          ],
        ] as [string, string, string][])),
    ...(direct
      ? ([
          [
            "direct: signing p95",
            ms(direct.sign.p95),
            direct.signInApi
              ? `the API's first call; in the API (Server-Timing): p95 ${ms(direct.signInApi.p95)}`
              : "the API's first call",
          ],
          [
            "direct: completing p95",
            ms(direct.complete.p95),
            [
              direct.completeInApi &&
                `in the API: p95 ${ms(direct.completeInApi.p95)}` +
                  (direct.checkInApi ? `, of which its ranged GET p95 ${ms(direct.checkInApi.p95)}` : ""),
              direct.storageCheck
                ? `the same GET on S3 alone meanwhile: p95 ${ms(direct.storageCheck.p95)}`
                : "the API's second call: a ranged GET",
            ]
              .filter(Boolean)
              .join("; "),
          ],
          ["direct: client's whole time p95", ms(direct.clientTotal.p95), "sign, PUT to S3, complete"],
        ] as [string, string, string][])
      : []),
  ];
}

/**
 * What to say when the API's per-client limits (its rate limit, its cap on
 * uploads at once) refused uploads of a run. Runs get no exemption: a run is
 * one client, like any other. Its refusals are answers of their own, counted
 * in the report, and the run then measured the limits rather than the modes.
 */
export function rateLimitNote(report: BenchReport): string | undefined {
  const status = String(ERROR_CATALOGUE.RATE_LIMITED.status);
  const modes = reportModes(report);
  const refused = modes.reduce((sum, mode) => sum + (report.modes[mode]!.failures.byStatus[status] ?? 0), 0);
  if (refused === 0) return undefined;
  return (
    `The API's per-client limits refused ${refused} of ${modes.length * report.workload.count} uploads ` +
    `(${status}: RATE_LIMITED, or TOO_MANY_CONCURRENT_UPLOADS): this run measured the limits, not the modes. ` +
    "To compare them beyond, start the API without them, for example with " +
    "UPLOAD_RATE_LIMIT=0 UPLOAD_CONCURRENCY_PER_CLIENT=0 pnpm dev."
  );
}
