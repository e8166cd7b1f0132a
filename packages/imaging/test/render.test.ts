import { fileTypeFromBuffer } from "file-type";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { thumbHashToRGBA } from "thumbhash";
import {
  DEFAULT_ENCODERS,
  DEFAULT_IMAGING_OPTIONS,
  ImageRejectedError,
  renderPhoto,
  renderVariants,
  type RenderedVariant,
} from "../src";
import { BLUE, RED, isNear, noisyPhoto, orientedPhoto, pixelAt, solidImage } from "../src/testing";

function byKey(variants: RenderedVariant[]) {
  return Object.fromEntries(variants.map((v) => [`${v.name}.${v.format}`, v]));
}

const size = (variant: RenderedVariant | undefined) => [variant?.width, variant?.height];

describe("renderVariants", () => {
  it("renders thumb, medium and large as JPEG and WebP, each fitted to its longest edge", async () => {
    const variants = byKey(await renderVariants(await solidImage(4000, 3000)));

    expect(Object.keys(variants).sort()).toEqual([
      "large.jpeg",
      "large.webp",
      "medium.jpeg",
      "medium.webp",
      "thumb.jpeg",
      "thumb.webp",
    ]);
    expect(size(variants["large.jpeg"])).toEqual([2048, 1536]);
    expect(size(variants["medium.webp"])).toEqual([1280, 960]);
    expect(size(variants["thumb.jpeg"])).toEqual([320, 240]);
    for (const variant of Object.values(variants)) {
      const meta = await sharp(variant.data).metadata();
      expect(meta.format).toBe(variant.format);
      expect([meta.width, meta.height]).toEqual([variant.width, variant.height]);
    }
  });

  it("never enlarges an image smaller than a variant", async () => {
    const variants = byKey(await renderVariants(await solidImage(600, 400, "png", RED)));

    expect(size(variants["large.jpeg"])).toEqual([600, 400]);
    expect(size(variants["medium.webp"])).toEqual([600, 400]);
    expect(size(variants["thumb.jpeg"])).toEqual([320, 213]);
  });

  it("makes a ThumbHash of the photo: its colours and its shape", async () => {
    const { thumbhash } = await renderPhoto(await orientedPhoto(6, 3000, 1500));
    const placeholder = thumbHashToRGBA(Buffer.from(thumbhash, "base64"));

    expect(thumbhash.length).toBeLessThanOrEqual(40);
    expect(placeholder.w).toBeGreaterThan(placeholder.h);
    const at = (x: number, y: number) => {
      const i = (y * placeholder.w + x) * 4;
      return { r: placeholder.rgba[i]!, g: placeholder.rgba[i + 1]!, b: placeholder.rgba[i + 2]! };
    };
    expect(isNear(at(1, 1), RED, 90)).toBe(true);
    expect(isNear(at(placeholder.w - 2, placeholder.h - 2), BLUE, 90)).toBe(true);
  });

  it.each([
    [
      "a grey PNG",
      () =>
        sharp({ create: { width: 500, height: 500, channels: 3, background: "#808080" } })
          .toColourspace("b-w")
          .png()
          .toBuffer(),
    ],
    [
      "a PNG with transparency",
      () =>
        sharp({
          create: { width: 200, height: 400, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.5 } },
        })
          .png()
          .toBuffer(),
    ],
    ["an image smaller than ThumbHash's 100 px", () => solidImage(40, 30)],
  ])("makes a ThumbHash of %s", async (_, make) => {
    const { thumbhash } = await renderPhoto(await make());
    expect(thumbHashToRGBA(Buffer.from(thumbhash, "base64")).w).toBeGreaterThan(0);
  });

  it("encodes a size the image already fits once: it is marked as the same bytes as the size above", async () => {
    const variants = byKey(await renderVariants(await noisyPhoto(1000, 750)));

    for (const format of ["jpeg", "webp"]) {
      const [large, medium, thumb] = ["large", "medium", "thumb"].map(
        (name) => variants[`${name}.${format}`],
      );
      expect(medium?.sameAs).toBe("large");
      expect(medium?.data).toBe(large?.data);
      expect([large?.sameAs, thumb?.sameAs]).toEqual([undefined, undefined]);
      expect(size(thumb)).toEqual([320, 240]);
    }
  });

  it("encodes every size of an image larger than each: none is marked as the same", async () => {
    const variants = await renderVariants(await noisyPhoto(3000, 2000));

    expect(variants.map((variant) => variant.sameAs)).toEqual(Array(6).fill(undefined));
    expect(new Set(variants.map((variant) => variant.data)).size).toBe(6);
  });

  it("with AVIF on, encodes each size as AVIF too: real AVIF bytes of the size's dimensions", async () => {
    const options = { ...DEFAULT_IMAGING_OPTIONS, formats: ["jpeg", "webp", "avif"] as const };

    const variants = byKey(await renderVariants(await orientedPhoto(6, 3000, 1500), options));

    expect(Object.keys(variants)).toHaveLength(9);
    for (const [name, width, height] of [
      ["large", 2048, 1024],
      ["medium", 1280, 640],
      ["thumb", 320, 160],
    ] as const) {
      const avif = variants[`${name}.avif`]!;
      expect(await fileTypeFromBuffer(avif.data)).toEqual({ ext: "avif", mime: "image/avif" });
      expect(size(avif)).toEqual([width, height]);
      const meta = await sharp(avif.data).metadata();
      expect([meta.width, meta.height, meta.exif]).toEqual([width, height, undefined]);
      expect(isNear(await pixelAt(avif.data, 5, 5), RED)).toBe(true);
      expect(isNear(await pixelAt(avif.data, width - 5, height - 5), BLUE)).toBe(true);
    }
  });

  it("with AVIF on, a size the image already fits shares the larger size's AVIF too", async () => {
    const options = { ...DEFAULT_IMAGING_OPTIONS, formats: ["jpeg", "webp", "avif"] as const };

    const variants = byKey(await renderVariants(await noisyPhoto(1000, 750), options));

    expect(variants["medium.avif"]).toMatchObject({ sameAs: "large", data: variants["large.avif"]!.data });
    expect(variants["thumb.avif"]?.sameAs).toBeUndefined();
  });

  it("encodes each size with its own settings", async () => {
    const photo = await noisyPhoto(3000, 2000);
    const lowThumbQuality = {
      ...DEFAULT_IMAGING_OPTIONS,
      encoders: { ...DEFAULT_ENCODERS, thumb: { ...DEFAULT_ENCODERS.thumb, jpeg: { quality: 20 } } },
    };

    const [usual, low] = await Promise.all([renderVariants(photo), renderVariants(photo, lowThumbQuality)]);

    const bytes = (variants: RenderedVariant[], key: string) => byKey(variants)[key]!.data.byteLength;
    expect(bytes(low, "thumb.jpeg")).toBeLessThan(bytes(usual, "thumb.jpeg") / 2);
    expect(bytes(low, "medium.jpeg")).toBe(bytes(usual, "medium.jpeg"));
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("turns a photo with EXIF orientation %i upright", async (orientation) => {
    const input = await orientedPhoto(orientation);
    expect((await sharp(input).metadata()).orientation).toBe(orientation);

    const thumb = byKey(await renderVariants(input))["thumb.jpeg"]!;

    expect(size(thumb)).toEqual([320, 160]);
    expect(isNear(await pixelAt(thumb.data, 20, 20), RED)).toBe(true);
    expect(isNear(await pixelAt(thumb.data, 300, 20), BLUE)).toBe(true);
    expect(isNear(await pixelAt(thumb.data, 20, 140), BLUE)).toBe(true);
  });

  it("strips all metadata, GPS included, and embeds no colour profile", async () => {
    const input = await sharp(await orientedPhoto(1))
      .keepExif()
      .withIccProfile("p3")
      .toBuffer();
    const meta = await sharp(input).metadata();
    expect(meta.exif).toBeDefined();
    expect(meta.icc).toBeDefined();

    for (const variant of await renderVariants(input)) {
      const meta = await sharp(variant.data).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
    }
  });

  it("converts a CMYK JPEG to 8-bit sRGB", async () => {
    const input = await sharp(await solidImage(500, 500, "png", RED))
      .toColourspace("cmyk")
      .jpeg()
      .toBuffer();
    expect((await sharp(input).metadata()).space).toBe("cmyk");

    const thumb = byKey(await renderVariants(input))["thumb.jpeg"]!;

    const meta = await sharp(thumb.data).metadata();
    expect(meta.space).toBe("srgb");
    expect(meta.channels).toBe(3);
    expect((await pixelAt(thumb.data, 100, 100)).r).toBeGreaterThan(180);
  });

  it("converts a 16-bit PNG to 8-bit output", async () => {
    const input = await sharp(await solidImage(500, 300, "png"))
      .toColourspace("rgb16")
      .png()
      .toBuffer();
    expect((await sharp(input).metadata()).depth).toBe("ushort");

    for (const variant of await renderVariants(input)) {
      expect((await sharp(variant.data).metadata()).depth).toBe("uchar");
    }
  });

  it("keeps alpha in WebP and flattens it onto white in JPEG", async () => {
    const input = await sharp({
      create: { width: 400, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();

    const variants = byKey(await renderVariants(input));

    expect((await sharp(variants["thumb.webp"]!.data).metadata()).hasAlpha).toBe(true);
    expect((await sharp(variants["thumb.jpeg"]!.data).metadata()).hasAlpha).toBe(false);
    expect(isNear(await pixelAt(variants["thumb.jpeg"]!.data, 10, 10), { r: 255, g: 255, b: 255 })).toBe(
      true,
    );
  });

  it("rejects an image over the pixel limit from its header", async () => {
    const rendering = renderVariants(await solidImage(1000, 1000, "png"), {
      ...DEFAULT_IMAGING_OPTIONS,
      maxInputPixels: 999_999,
    });

    await expect(rendering).rejects.toBeInstanceOf(ImageRejectedError);
    await expect(rendering).rejects.toMatchObject({ code: "IMAGE_TOO_MANY_PIXELS" });
  });

  it("rejects a truncated JPEG as corrupt, with the decoder's reason", async () => {
    const whole = await solidImage(1200, 900, "jpeg", RED);

    const rendering = renderVariants(whole.subarray(0, Math.floor(whole.length / 2)));

    await expect(rendering).rejects.toMatchObject({ code: "IMAGE_CORRUPT", message: /premature end/i });
  });

  it("reports each size before rendering it, largest first", async () => {
    const seen: string[] = [];

    await renderVariants(await solidImage(3000, 2000), DEFAULT_IMAGING_OPTIONS, (name) => {
      seen.push(name);
    });

    expect(seen).toEqual(["large", "medium", "thumb"]);
  });
});
