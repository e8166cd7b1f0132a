import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { DEFAULT_IMAGING_OPTIONS, renderVariants } from "../src";
import { readHeifPrimary } from "../src/heif-boxes";
import { isHeic } from "../src/heic";
import { BLUE, heifEnc, isNear, noisyPhoto, pixelAt, RED, solidImage } from "../src/testing";

describe("HEIC, decoded by libheif before the pipeline", () => {
  it("reads the primary image's size and transforms from the boxes heif-enc writes", async () => {
    const heic = await heifEnc(await noisyPhoto(640, 480));

    expect(isHeic(heic)).toBe(true);
    expect(readHeifPrimary(heic)).toEqual({ width: 640, height: 480, transformed: false });
  });

  it("leaves AVIF to sharp", async () => {
    const avif = await sharp(await noisyPhoto(64, 48))
      .avif()
      .toBuffer();
    expect(isHeic(avif)).toBe(false);
  });

  it("renders the primary image of a multi-image file, upright and clean", async () => {
    const portrait = await sharp({ create: { width: 300, height: 400, channels: 3, background: BLUE } })
      .composite([{ input: await solidImage(150, 200, "png", RED), left: 0, top: 0 }])
      .jpeg()
      .toBuffer();
    const heic = await heifEnc([portrait, await solidImage(400, 300)]);

    const [large] = await renderVariants(heic);
    const metadata = await sharp(large!.data).metadata();
    expect([metadata.width, metadata.height, metadata.space]).toEqual([300, 400, "srgb"]);
    expect([metadata.exif, metadata.icc]).toEqual([undefined, undefined]);
    expect(isNear(await pixelAt(large!.data, 5, 5), RED)).toBe(true);
    expect(isNear(await pixelAt(large!.data, 295, 395), BLUE)).toBe(true);
  });

  it("refuses a size over the pixel limit from the header, before decoding", async () => {
    const heic = await heifEnc(await noisyPhoto(640, 480));

    await expect(
      renderVariants(heic, { ...DEFAULT_IMAGING_OPTIONS, maxInputPixels: 640 * 480 - 1 }),
    ).rejects.toMatchObject({ code: "IMAGE_TOO_MANY_PIXELS", message: /header declares 640 × 480/ });
  });
});
