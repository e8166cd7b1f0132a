// The raw imaging baseline for one photo format against another: the same
// photos as JPEG and as HEIC (heif-enc -q 60 from that JPEG), rendered one at
// a time in this process, so that the difference is the decode.
//
//   pnpm --filter @darkroom/bench formats [-- --width 4032 --height 3024 --photos 3 --rounds 3]
import { parseArgs } from "node:util";
import { DEFAULT_IMAGING_OPTIONS, renderVariants } from "@darkroom/imaging";
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

const results: Record<string, { bytes: number; wallMs: number; cpuMs: number }> = {};
for (const format of ["jpeg", "heic"] as PhotoFormat[]) {
  const photos = (await makePhotoSet(width, height, format)).slice(0, Number(values.photos));
  // One untimed render: libheif's WebAssembly is instantiated on the first HEIC.
  await renderVariants(photos[0]!.data, DEFAULT_IMAGING_OPTIONS);
  const [wall, cpu]: [number[], number[]] = [[], []];
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const photo of photos) {
      const [started, cpuStarted] = [performance.now(), process.cpuUsage()];
      await renderVariants(photo.data, DEFAULT_IMAGING_OPTIONS);
      const used = process.cpuUsage(cpuStarted);
      wall.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  const bytes = photos.reduce((sum, photo) => sum + photo.data.byteLength, 0) / photos.length;
  results[format] = { bytes, wallMs: median(wall), cpuMs: median(cpu) };
}

const rows = Object.entries(results).map(
  ([format, { bytes, wallMs, cpuMs }]) =>
    `| ${format.toUpperCase()} | ${(bytes / 1e6).toFixed(2)} MB | ${wallMs.toFixed(0)} ms | ${cpuMs.toFixed(0)} ms |`,
);
const [jpeg, heic] = [results.jpeg!, results.heic!];
process.stdout.write(
  [
    `${width}×${height}, six variants each, one at a time; median of ${values.rounds} rounds over ${values.photos} photos`,
    "",
    "| input | size | wall per photo | CPU per photo |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    `HEIC ÷ JPEG: ${(heic.wallMs / jpeg.wallMs).toFixed(2)}× the time, ${(heic.cpuMs / jpeg.cpuMs).toFixed(2)}× the CPU; ` +
      `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    "",
  ].join("\n"),
);
