// The raw imaging baseline for one photo format against another: the same
// photos as JPEG and as HEIC (heif-enc -q 60 from that JPEG), rendered one at
// a time, so that the difference is the decode. Each is rendered in this
// process and on a render pool of one thread, as the apps render, with this
// thread's event-loop delay measured meanwhile: what a worker's or the API's
// other work would wait.
//
//   pnpm --filter @darkroom/bench formats [--width 4032 --height 3024 --photos 3 --rounds 3]
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";
import { createRenderPool, DEFAULT_IMAGING_OPTIONS, renderPhoto, type RenderPhoto } from "@darkroom/imaging";
import { makePhotoSet, type PhotoFormat } from "./src/photos";

const { values } = parseArgs({
  options: {
    width: { type: "string", default: "4032" },
    height: { type: "string", default: "3024" },
    photos: { type: "string", default: "3" },
    rounds: { type: "string", default: "3" },
  },
});
const [width, height] = [Number(values.width), Number(values.height)];

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

const pool = createRenderPool({ threads: 1, maxHeapMb: 128 });
const ways: Record<string, RenderPhoto> = { "in-process": renderPhoto, "render pool": pool.render };

interface Result {
  bytes: number;
  wallMs: number;
  cpuMs: number;
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
}
const results: Record<string, Record<string, Result>> = {};
for (const format of ["jpeg", "heic"] as PhotoFormat[]) {
  const photos = (await makePhotoSet(width, height, format)).slice(0, Number(values.photos));
  const bytes = photos.reduce((sum, photo) => sum + photo.data.byteLength, 0) / photos.length;
  results[format] = {};
  for (const [way, render] of Object.entries(ways)) {
    // One untimed render: the pool starts its thread, libheif compiles its WebAssembly.
    await render(Buffer.from(photos[0]!.data), DEFAULT_IMAGING_OPTIONS);
    const [wall, cpu, loopMax, loopP99]: [number[], number[], number[], number[]] = [[], [], [], []];
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const photo of photos) {
        // The pool takes the buffer it is given, as it takes the worker's.
        const input = Buffer.from(photo.data);
        const loop = monitorEventLoopDelay({ resolution: 10 });
        loop.enable();
        // Its timer must be running before the render starts, or a stall at once goes unseen.
        await delay(30);
        const [started, cpuStarted] = [performance.now(), process.cpuUsage()];
        await render(input, DEFAULT_IMAGING_OPTIONS);
        const used = process.cpuUsage(cpuStarted);
        wall.push(performance.now() - started);
        cpu.push((used.user + used.system) / 1000);
        await delay(30);
        loop.disable();
        loopMax.push(loop.max / 1e6);
        loopP99.push(loop.percentile(99) / 1e6);
      }
    }
    results[format][way] = {
      bytes,
      wallMs: median(wall),
      cpuMs: median(cpu),
      loopDelayMaxMs: Math.max(...loopMax),
      loopDelayP99Ms: median(loopP99),
    };
  }
}
await pool.close();

const ms = (value: number) => `${Math.round(value).toLocaleString("en")} ms`;
const rows = Object.entries(results).flatMap(([format, byWay]) =>
  Object.entries(byWay).map(
    ([way, result]) =>
      `| ${format.toUpperCase()} | ${way} | ${(result.bytes / 1e6).toFixed(2)} MB | ${ms(result.wallMs)} | ${ms(result.cpuMs)} | ${ms(result.loopDelayMaxMs)} | ${ms(result.loopDelayP99Ms)} |`,
  ),
);
const inProcess = (format: string) => results[format]!["in-process"]!;
const isolated = (format: string) => results[format]!["render pool"]!;
process.stdout.write(
  [
    `${width}×${height}, six variants each, one at a time; median of ${values.rounds} rounds over ${values.photos} photos; ` +
      "event-loop delay of this thread while each rendered (max over all, median p99)",
    "",
    "| input | rendered | size | wall per photo | CPU per photo | event-loop delay max | p99 |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `HEIC ÷ JPEG in-process: ${(inProcess("heic").wallMs / inProcess("jpeg").wallMs).toFixed(2)}× the time, ` +
      `${(inProcess("heic").cpuMs / inProcess("jpeg").cpuMs).toFixed(2)}× the CPU. ` +
      `Render pool ÷ in-process, time: JPEG ${(isolated("jpeg").wallMs / inProcess("jpeg").wallMs).toFixed(2)}×, ` +
      `HEIC ${(isolated("heic").wallMs / inProcess("heic").wallMs).toFixed(2)}×. ` +
      `Peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    "",
  ].join("\n"),
);
