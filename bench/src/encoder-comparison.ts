import type {
  EncoderComparison,
  EncoderSettingsResult,
  VariantFormat,
  VariantName,
} from "@darkroom/contracts";
import {
  DEFAULT_IMAGING_OPTIONS,
  decodeToSize,
  encodeRaw,
  renderPhoto,
  resizeRaw,
  type EncoderSettings,
  type ImagingOptions,
  type RawImage,
} from "@darkroom/imaging";
import sharp, { type Sharp } from "sharp";
import { ssim } from "ssim.js";
import { makePhotoSet, makeTexturedPhotoSet, type BenchPhoto } from "./photos";

/**
 * The encoder settings the pipeline had before they were chosen by
 * measurement: libvips' defaults at quality 80, WebP at effort 4. Kept here
 * only as the comparison point of every run.
 */
const BEFORE: EncoderSettings = { jpeg: { quality: 80 }, webp: { quality: 80, effort: 4 }, avif: {} };

interface EncoderCandidate {
  settings: string;
  options: ImagingOptions;
}

/** What each run compares: the settings before, the pipeline's defaults, and the defaults with AVIF on. */
const ENCODER_CANDIDATES: readonly EncoderCandidate[] = [
  {
    settings: "before",
    options: { ...DEFAULT_IMAGING_OPTIONS, encoders: { large: BEFORE, medium: BEFORE, thumb: BEFORE } },
  },
  { settings: "chosen", options: DEFAULT_IMAGING_OPTIONS },
  {
    settings: "chosen + AVIF",
    options: { ...DEFAULT_IMAGING_OPTIONS, formats: [...DEFAULT_IMAGING_OPTIONS.formats, "avif"] },
  },
];

export interface PhotoSet {
  kind: string;
  photos: readonly BenchPhoto[];
}

/**
 * Renders each photo with each candidate's settings in turn, one photo at a
 * time in this process, `rounds` times: the candidates take turns photo by
 * photo, so that the machine's other load falls on each alike. After each
 * render it runs the same stages again one by one, each timed alone, to say
 * where the CPU goes. Last, it measures each variant's SSIM against the
 * pixels it was encoded from. To try other settings, add a candidate.
 */
export async function compareEncoders(sets: readonly PhotoSet[], rounds: number): Promise<EncoderComparison> {
  const candidates = ENCODER_CANDIDATES;
  const photoSets: EncoderComparison["photoSets"] = [];
  for (const { kind, photos } of sets) {
    const samples = candidates.map(() => ({
      cpu: [] as number[],
      wall: [] as number[],
      stages: [] as Stages[],
    }));
    // Untimed: the first render of a process loads libvips' codecs.
    for (const candidate of candidates) await renderPhoto(photos[0]!.data, candidate.options);
    for (let round = 0; round < rounds; round++) {
      for (const photo of photos) {
        // Each round, a different candidate goes first.
        for (let turn = 0; turn < candidates.length; turn++) {
          const at = (turn + round) % candidates.length;
          const { options } = candidates[at]!;
          const { cpu, wall } = await timed(() => renderPhoto(photo.data, options));
          samples[at]!.cpu.push(cpu);
          samples[at]!.wall.push(wall);
          samples[at]!.stages.push(await stagesOf(photo.data, options));
        }
      }
    }
    const results: EncoderSettingsResult[] = [];
    for (const [index, { settings, options }] of candidates.entries()) {
      const { cpu, wall, stages } = samples[index]!;
      const qualities: Variants[] = [];
      for (const photo of photos) qualities.push(await qualityOf(photo.data, options));
      results.push({
        settings,
        cpuMs: median(cpu),
        wallMs: median(wall),
        bytes: mean(qualities.map((variants) => variants.reduce((sum, variant) => sum + variant.bytes, 0))),
        stages: Object.fromEntries(
          Object.keys(stages[0]!).map((stage) => [stage, median(stages.map((each) => each[stage]!))]),
        ),
        variants: qualities[0]!.map(({ name, format }, at) => ({
          name,
          format,
          bytes: mean(qualities.map((variants) => variants[at]!.bytes)),
          ssim: mean(qualities.map((variants) => variants[at]!.ssim)),
        })),
      });
    }
    photoSets.push({ kind, photos: photos.length, results });
  }
  const [first] = sets;
  const { width, height } = await sharp(first!.photos[0]!.data).metadata();
  return { width, height, rounds, photoSets };
}

/** CPU ms of each stage of one photo's pipeline. */
type Stages = Record<string, number>;
type Variants = EncoderSettingsResult["variants"];

/**
 * Runs the pipeline's stages for one photo one after the other, and hands
 * each variant, with the pixels it was encoded from, to `encoded`. The photo
 * is larger than every size, so each size is encoded.
 */
async function eachStage(
  input: Buffer,
  options: ImagingOptions,
  timeStage: <T>(stage: string, work: () => Promise<T>) => Promise<T>,
  encoded: (
    name: VariantName,
    format: VariantFormat,
    source: RawImage,
    data: Buffer,
  ) => Promise<void> = async () => {},
): Promise<void> {
  const [largest, ...smaller] = options.variants;
  let current = await timeStage("decode", () => decodeToSize(input, largest!.maxEdge, options));
  for (const spec of [largest!, ...smaller]) {
    if (spec !== largest)
      current = await timeStage(`resize ${spec.name}`, () => resizeRaw(current, spec.maxEdge));
    for (const format of options.formats) {
      const source = current;
      const data = await timeStage(`${spec.name} ${format}`, () =>
        encodeRaw(source, format, options.encoders[spec.name]),
      );
      await encoded(spec.name, format, source, data);
    }
  }
}

/** The CPU time of each stage of one photo, run alone. */
async function stagesOf(input: Buffer, options: ImagingOptions): Promise<Stages> {
  const stages: Stages = {};
  await eachStage(input, options, async (stage, work) => {
    const { result, cpu } = await timed(work);
    stages[stage] = cpu;
    return result;
  });
  return stages;
}

/** Each variant of one photo: its bytes, and its SSIM against the pixels it was encoded from. */
async function qualityOf(input: Buffer, options: ImagingOptions): Promise<Variants> {
  const variants: Variants = [];
  await eachStage(
    input,
    options,
    (_, work) => work(),
    async (name, format, source, data) => {
      variants.push({ name, format, bytes: data.byteLength, ssim: await similarity(source, data) });
    },
  );
  return variants;
}

/**
 * SSIM of the encoded image against the pixels it was encoded from, on their
 * luma (as ssim.js computes it), at full size: its default would first shrink
 * images the way the SSIM paper's reference code does, which hides the very
 * artefacts being compared.
 */
async function similarity(source: RawImage, encoded: Buffer): Promise<number> {
  const [reference, decoded] = await Promise.all([
    rgba(
      sharp(source.data, { raw: { width: source.width, height: source.height, channels: source.channels } }),
    ),
    rgba(sharp(encoded)),
  ]);
  return ssim(reference, decoded, { downsample: false }).mssim;
}

async function rgba(image: Sharp) {
  const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; cpu: number; wall: number }> {
  const [started, cpuStarted] = [performance.now(), process.cpuUsage()];
  const result = await work();
  const used = process.cpuUsage(cpuStarted);
  return { result, cpu: (used.user + used.system) / 1000, wall: performance.now() - started };
}

const median = (samples: readonly number[]) =>
  [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
const mean = (samples: readonly number[]) =>
  samples.reduce((sum, sample) => sum + sample, 0) / samples.length;

/** The photos the comparison renders: as many of the benchmark's own, and as many textured ones. */
export async function encoderPhotoSets(width: number, height: number, count: number): Promise<PhotoSet[]> {
  return [
    { kind: "noise", photos: await makePhotoSet(width, height, "jpeg", count) },
    { kind: "texture", photos: await makeTexturedPhotoSet(width, height, count) },
  ];
}
