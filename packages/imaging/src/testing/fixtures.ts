// Test photos made on the fly, so no binary fixtures live in the repository.
import sharp, { type Sharp } from "sharp";

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export const RED: Rgb = { r: 255, g: 0, b: 0 };
export const BLUE: Rgb = { r: 0, g: 0, b: 255 };

/**
 * Stores the pixels turned so that a viewer honouring `orientation` shows them
 * upright. sharp mirrors before it rotates, whatever the call order.
 */
const STORED_FOR_ORIENTATION: Record<number, (image: Sharp) => Sharp> = {
  1: (image) => image,
  2: (image) => image.flop(),
  3: (image) => image.rotate(180),
  4: (image) => image.flip(),
  5: (image) => image.rotate(270).flop(),
  6: (image) => image.rotate(270),
  7: (image) => image.rotate(90).flop(),
  8: (image) => image.rotate(90),
};

/**
 * A JPEG that looks, once turned upright, like a `width`×`height` landscape
 * with a red top-left quadrant and blue elsewhere, stored with the given EXIF
 * orientation. Checking those colours shows whether a pipeline turned it.
 */
export async function orientedPhoto(orientation: number, width = 400, height = 200): Promise<Buffer> {
  const quadrant = await sharp({
    create: { width: width / 2, height: height / 2, channels: 3, background: RED },
  })
    .png()
    .toBuffer();
  const upright = await sharp({ create: { width, height, channels: 3, background: BLUE } })
    .composite([{ input: quadrant, left: 0, top: 0 }])
    .png()
    .toBuffer();
  return orientedPhotoFrom(upright, orientation, 95);
}

/**
 * `upright` stored as a camera would with the given EXIF orientation: pixels
 * turned, the tag set, and a GPS position that a pipeline must strip.
 */
export async function orientedPhotoFrom(upright: Buffer, orientation: number, quality = 90): Promise<Buffer> {
  const stored = await STORED_FOR_ORIENTATION[orientation]!(sharp(upright)).png().toBuffer();
  return sharp(stored)
    .jpeg({ quality })
    .withMetadata({ orientation })
    .withExif({
      IFD0: { Make: "Darkroom test camera" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" },
    })
    .toBuffer();
}

/** A solid image of the given size and format. */
export function solidImage(
  width: number,
  height: number,
  format: "jpeg" | "png" | "webp" = "jpeg",
  background: Rgb = BLUE,
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } })
    .toFormat(format)
    .toBuffer();
}

/**
 * A photo-like JPEG: gradients under seeded noise, so it compresses like a
 * real photo and the same seed gives the same bytes.
 */
export async function noisyPhoto(width: number, height: number, seed = 1, quality = 90): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed >>> 0 || 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const noise = ((state >>> 0) % 48) - 24;
      const offset = (y * width + x) * 3;
      pixels[offset] = clampByte((x * 255) / width + noise);
      pixels[offset + 1] = clampByte((y * 255) / height + noise);
      pixels[offset + 2] = clampByte(((x + y) * 128) / (width + height) + 64 + noise);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}

function clampByte(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

/** The colour at (x, y) of an encoded image. */
export async function pixelAt(image: Buffer, x: number, y: number): Promise<Rgb> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return { r: data[offset]!, g: data[offset + 1]!, b: data[offset + 2]! };
}

/** Whether two colours are alike after lossy compression. */
export function isNear(actual: Rgb, expected: Rgb, tolerance = 40): boolean {
  return (["r", "g", "b"] as const).every(
    (channel) => Math.abs(actual[channel] - expected[channel]) < tolerance,
  );
}
