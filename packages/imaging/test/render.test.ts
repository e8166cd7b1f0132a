import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { DEFAULT_IMAGING_OPTIONS, ImageRejectedError, renderVariants, type RenderedVariant } from "../src";

const RED = { r: 255, g: 0, b: 0 };
const BLUE = { r: 0, g: 0, b: 255 };

/** A landscape photo whose top-left quadrant is red and the rest blue, so orientation can be seen. */
async function markedImage(width: number, height: number): Promise<sharp.Sharp> {
  const quadrant = await sharp({
    create: { width: width / 2, height: height / 2, channels: 3, background: RED },
  })
    .png()
    .toBuffer();
  const png = await sharp({ create: { width, height, channels: 3, background: BLUE } })
    .composite([{ input: quadrant, left: 0, top: 0 }])
    .png()
    .toBuffer();
  return sharp(png);
}

/**
 * Stores the pixels turned so that a viewer honouring `orientation` shows them
 * upright. sharp mirrors before it rotates, whatever the call order.
 */
const STORED_FOR_ORIENTATION: Record<number, (image: sharp.Sharp) => sharp.Sharp> = {
  1: (image) => image,
  2: (image) => image.flop(),
  3: (image) => image.rotate(180),
  4: (image) => image.flip(),
  5: (image) => image.rotate(270).flop(),
  6: (image) => image.rotate(270),
  7: (image) => image.rotate(90).flop(),
  8: (image) => image.rotate(90),
};

async function pixel(variant: RenderedVariant, x: number, y: number) {
  const { data, info } = await sharp(variant.data).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return { r: data[offset]!, g: data[offset + 1]!, b: data[offset + 2]! };
}

function expectColour(actual: { r: number; g: number; b: number }, expected: typeof RED) {
  for (const channel of ["r", "g", "b"] as const) {
    expect(Math.abs(actual[channel] - expected[channel])).toBeLessThan(40);
  }
}

function byKey(variants: RenderedVariant[]) {
  return Object.fromEntries(variants.map((v) => [`${v.name}.${v.format}`, v]));
}

describe("renderVariants", () => {
  it("renders thumb, medium and large as JPEG and WebP, each fitted to its longest edge", async () => {
    const input = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: BLUE } })
      .jpeg()
      .toBuffer();

    const variants = byKey(await renderVariants(input));

    expect(Object.keys(variants).sort()).toEqual([
      "large.jpeg",
      "large.webp",
      "medium.jpeg",
      "medium.webp",
      "thumb.jpeg",
      "thumb.webp",
    ]);
    expect([variants["large.jpeg"]!.width, variants["large.jpeg"]!.height]).toEqual([2048, 1536]);
    expect([variants["medium.webp"]!.width, variants["medium.webp"]!.height]).toEqual([1280, 960]);
    expect([variants["thumb.jpeg"]!.width, variants["thumb.jpeg"]!.height]).toEqual([320, 240]);
    for (const variant of Object.values(variants)) {
      const meta = await sharp(variant.data).metadata();
      expect(meta.format).toBe(variant.format);
      expect([meta.width, meta.height]).toEqual([variant.width, variant.height]);
    }
  });

  it("never enlarges an image smaller than a variant", async () => {
    const input = await sharp({ create: { width: 600, height: 400, channels: 3, background: RED } })
      .png()
      .toBuffer();

    const variants = byKey(await renderVariants(input));

    expect([variants["large.jpeg"]!.width, variants["large.jpeg"]!.height]).toEqual([600, 400]);
    expect([variants["medium.webp"]!.width, variants["medium.webp"]!.height]).toEqual([600, 400]);
    expect([variants["thumb.jpeg"]!.width, variants["thumb.jpeg"]!.height]).toEqual([320, 213]);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("turns a photo with EXIF orientation %i upright", async (orientation) => {
    const stored = await STORED_FOR_ORIENTATION[orientation]!(await markedImage(400, 200)).png().toBuffer();
    const input = await sharp(stored).jpeg({ quality: 95 }).withExif({ IFD0: {} }).withMetadata({ orientation }).toBuffer();
    expect((await sharp(input).metadata()).orientation).toBe(orientation);

    const thumb = byKey(await renderVariants(input))["thumb.jpeg"]!;

    expect([thumb.width, thumb.height]).toEqual([320, 160]);
    expectColour(await pixel(thumb, 20, 20), RED);
    expectColour(await pixel(thumb, 300, 20), BLUE);
    expectColour(await pixel(thumb, 20, 140), BLUE);
  });

  it("strips all metadata, GPS included, and embeds no colour profile", async () => {
    const input = await sharp({ create: { width: 800, height: 600, channels: 3, background: RED } })
      .jpeg()
      .withExif({
        IFD0: { Copyright: "someone", Make: "Camera" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" },
      })
      .withIccProfile("p3")
      .toBuffer();
    expect((await sharp(input).metadata()).exif).toBeDefined();

    for (const variant of await renderVariants(input)) {
      const meta = await sharp(variant.data).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
    }
  });

  it("converts a CMYK JPEG to 8-bit sRGB", async () => {
    const input = await sharp({ create: { width: 500, height: 500, channels: 3, background: RED } })
      .toColourspace("cmyk")
      .jpeg()
      .toBuffer();
    expect((await sharp(input).metadata()).space).toBe("cmyk");

    const thumb = byKey(await renderVariants(input))["thumb.jpeg"]!;

    const meta = await sharp(thumb.data).metadata();
    expect(meta.space).toBe("srgb");
    expect(meta.channels).toBe(3);
    expect((await pixel(thumb, 100, 100)).r).toBeGreaterThan(180);
  });

  it("converts a 16-bit PNG to 8-bit output", async () => {
    const input = await sharp({ create: { width: 500, height: 300, channels: 3, background: BLUE } })
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
    expectColour(await pixel(variants["thumb.jpeg"]!, 10, 10), { r: 255, g: 255, b: 255 });
  });

  it("rejects an image over the pixel limit from its header", async () => {
    const input = await sharp({ create: { width: 1000, height: 1000, channels: 3, background: RED } })
      .png()
      .toBuffer();

    const rendering = renderVariants(input, { ...DEFAULT_IMAGING_OPTIONS, maxInputPixels: 999_999 });

    await expect(rendering).rejects.toBeInstanceOf(ImageRejectedError);
    await expect(rendering).rejects.toMatchObject({ code: "IMAGE_TOO_MANY_PIXELS" });
  });

  it("rejects a truncated JPEG as corrupt, with the decoder's reason", async () => {
    const whole = await sharp({ create: { width: 1200, height: 900, channels: 3, background: RED } })
      .jpeg()
      .toBuffer();

    const rendering = renderVariants(whole.subarray(0, Math.floor(whole.length / 2)));

    await expect(rendering).rejects.toMatchObject({ code: "IMAGE_CORRUPT", message: /premature end/i });
  });

  it("reports each size before rendering it, largest first", async () => {
    const input = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: RED } })
      .jpeg()
      .toBuffer();
    const seen: string[] = [];

    await renderVariants(input, DEFAULT_IMAGING_OPTIONS, (name) => {
      seen.push(name);
    });

    expect(seen).toEqual(["large", "medium", "thumb"]);
  });
});
