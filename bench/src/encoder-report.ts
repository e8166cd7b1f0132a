import type { EncoderComparison, EncoderSettingsResult } from "@darkroom/contracts";

export interface ReportTable {
  title: string;
  header: string[];
  rows: string[][];
}

const ms = (value: number) => `${Math.round(value).toLocaleString("en")} ms`;
const kb = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString("en")} KB`;
const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`;
const signed = (value: number) => `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(4)}`;

/**
 * For each kind of photo: each set of settings against the first (CPU, bytes,
 * the worst SSIM change of a variant), then each variant, then each stage.
 */
export function encoderTables(comparison: EncoderComparison): ReportTable[] {
  return comparison.photoSets.flatMap(({ kind, photos, results }) => {
    const [base] = results as [EncoderSettingsResult, ...EncoderSettingsResult[]];
    const about = `${kind} photos, ${comparison.width}×${comparison.height}: ${photos} photo(s) × ${comparison.rounds} round(s), one at a time`;
    return [
      {
        title: `Encoder settings, ${about}; CPU and wall are medians per photo, bytes means`,
        header: [
          "settings",
          "CPU",
          `÷ ${base.settings}`,
          "wall",
          "bytes",
          `÷ ${base.settings}`,
          "worst SSIM change",
        ],
        rows: results.map((result) => [
          result.settings,
          ms(result.cpuMs),
          ratio(result.cpuMs, base.cpuMs),
          ms(result.wallMs),
          kb(result.bytes),
          ratio(result.bytes, base.bytes),
          signed(worstSsimChange(base, result)),
        ]),
      },
      {
        title: `Each variant, ${kind} photos: bytes and SSIM against the pixels it was encoded from`,
        header: ["variant", ...results.flatMap((result) => [`${result.settings} bytes`, "SSIM"])],
        rows: variantKeys(results).map((key) => [
          key,
          ...results.flatMap((result) => {
            const variant = result.variants.find((each) => `${each.name} ${each.format}` === key);
            return variant ? [kb(variant.bytes), variant.ssim.toFixed(4)] : ["", ""];
          }),
        ]),
      },
      {
        title: `CPU of each stage run alone, ${kind} photos (median per photo)`,
        header: ["stage", ...results.map((result) => result.settings)],
        rows: stageNames(results).map((stage) => [
          stage,
          ...results.map((result) => (stage in result.stages ? ms(result.stages[stage]!) : "")),
        ]),
      },
    ];
  });
}

/** The largest drop of a variant's SSIM from the base settings (negative), or the smallest rise. */
function worstSsimChange(base: EncoderSettingsResult, result: EncoderSettingsResult): number {
  const changes = base.variants.flatMap((before) => {
    const after = result.variants.find((each) => each.name === before.name && each.format === before.format);
    return after ? [after.ssim - before.ssim] : [];
  });
  return Math.min(...changes);
}

function variantKeys(results: readonly EncoderSettingsResult[]): string[] {
  return [
    ...new Set(results.flatMap((result) => result.variants.map((each) => `${each.name} ${each.format}`))),
  ];
}

function stageNames(results: readonly EncoderSettingsResult[]): string[] {
  return [...new Set(results.flatMap((result) => Object.keys(result.stages)))];
}
