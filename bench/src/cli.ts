// pnpm bench [--preset smoke|default|seed-1k] [--count N] [--concurrency N]
//            [--width PX --height PX] [--timeout MS] [--workers N]
//            [--target URL] [--out DIR] [--events] [--format jpeg|heic]
//            [--encoder-photos N] [--encoder-rounds N] [--from built|source]
//
// Without --target it starts its own stack (Redis, S3, API, workers) and
// stops it at the end. With --target it loads a running API, and reads the
// S3 settings for its storage baseline from the environment; it is then one
// client like any other, so the API's per-client rate limit applies, and the
// report counts the uploads it refused; its own stack it warms up first, so
// that the queue has a history for its ETA. --format heic uploads (and renders in
// the raw imaging baseline) HEIC files made by heif-enc from the same photos.
// The raw imaging baseline also compares encoder settings (the settings before
// they were chosen, the chosen ones, the chosen ones with AVIF) on 12 MP JPEGs,
// --encoder-photos of each kind --encoder-rounds times; 0 rounds leaves it out.
// Its own stack runs the apps as their containers do, from the bundles that
// `pnpm build` writes (`pnpm bench` builds them first); --from source runs
// them through tsx instead, as `pnpm dev` does.
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BENCH_PRESETS, benchPresetSchema, type BenchEvent, type Workload } from "@darkroom/contracts";
import { startAppStack } from "@darkroom/devstack";
import { latencyChartSvg, renderMarkdown, renderText } from "./render-report";
import { runBenchmark, type BenchTarget } from "./run-benchmark";

const { values } = parseArgs({
  options: {
    preset: { type: "string", default: "default" },
    count: { type: "string" },
    concurrency: { type: "string" },
    width: { type: "string" },
    height: { type: "string" },
    timeout: { type: "string" },
    workers: { type: "string" },
    target: { type: "string" },
    out: { type: "string", default: join(import.meta.dirname, "../results") },
    events: { type: "boolean", default: false },
    format: { type: "string", default: "jpeg" },
    "encoder-photos": { type: "string" },
    "encoder-rounds": { type: "string" },
    from: { type: "string", default: "built" },
  },
});
if (values.format !== "jpeg" && values.format !== "heic") throw new Error("--format is jpeg or heic");
const format = values.format;
if (values.from !== "built" && values.from !== "source") throw new Error("--from is built or source");
const from = values.from;

const preset = benchPresetSchema.parse(values.preset);
const number = (value: string | undefined, fallback: number) =>
  value === undefined ? fallback : Number(value);
const base: Workload = BENCH_PRESETS[preset];
const workload: Workload = {
  count: number(values.count, base.count),
  concurrency: number(values.concurrency, base.concurrency),
  width: number(values.width, base.width),
  height: number(values.height, base.height),
  timeoutMs: number(values.timeout, base.timeoutMs),
  workers: number(values.workers, base.workers),
};

// Smoke's one render of each only proves the comparison runs.
const encoderSample = {
  photos: number(values["encoder-photos"], preset === "smoke" ? 1 : 3),
  rounds: number(values["encoder-rounds"], preset === "smoke" ? 1 : 3),
};

// With --events, stdout carries one JSON event per line for a program to read; people read stderr.
const emit = (event: BenchEvent) => {
  if (values.events) process.stdout.write(`${JSON.stringify(event)}\n`);
  else if (event.type === "phase") process.stderr.write(`bench: ${event.message}\n`);
};

/**
 * The heap Node gives the API in its Kubernetes container (a 768 MiB limit,
 * infra/k8s/api.yaml), as Node sized it in a memory cgroup of that limit: a
 * 384 MiB old generation and 4 MiB semi-spaces. Sized from this machine's
 * memory instead, the heap lets garbage grow to about four times what is live
 * before it collects, and the peak measured would be the machine's, not the API's.
 */
const API_CONTAINER_HEAP = "--max-old-space-size=384 --max-semi-space-size=4";

// One client sends every upload here: the per-client limits would measure themselves.
const stack = values.target
  ? undefined
  : await startAppStack(
      workload.workers,
      {
        UPLOAD_RATE_LIMIT: "0",
        UPLOAD_CONCURRENCY_PER_CLIENT: "0",
        NODE_OPTIONS: API_CONTAINER_HEAP,
      },
      from,
    );
const target: BenchTarget = stack ?? {
  apiUrl: values.target!,
  env: process.env,
  // A remote stack's workers cannot be asked: assume their default, two jobs per core.
  workerParallelism: workload.workers * 2 * availableParallelism(),
};
try {
  const report = await runBenchmark(preset, workload, target, emit, {
    format,
    warmUp: stack !== undefined,
    ...(encoderSample.rounds > 0 && { encoders: encoderSample }),
  });
  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(values.out, "latest.svg"), latencyChartSvg(report));
  await writeFile(join(values.out, "latest.md"), renderMarkdown(report, "latest.svg"));
  if (values.events) process.stdout.write(`${JSON.stringify({ type: "report", report })}\n`);
  else
    process.stderr.write(
      `\n${renderText(report)}\n\nbench: wrote ${join(values.out, "latest.{json,md,svg}")}\n`,
    );
} finally {
  await stack?.stop();
}
