import sharp from "sharp";
import { heifEnc, noisyPhoto, orientedPhotoFrom } from "@darkroom/imaging/testing";

/** Distinct photos in a set; uploads cycle through them. */
const SET_SIZE = 8;

/** `heic`: each JPEG encoded again by heif-enc (`-q 60`), as an iPhone would have stored it. */
export type PhotoFormat = "jpeg" | "heic";

export interface BenchPhoto {
  name: string;
  data: Buffer;
}

/**
 * The same photos on every run: seeded noise over gradients, so they
 * compress like real photos, and one in four carries an EXIF rotation.
 */
export async function makePhotoSet(
  width: number,
  height: number,
  format: PhotoFormat = "jpeg",
  count = SET_SIZE,
): Promise<BenchPhoto[]> {
  const photos: BenchPhoto[] = [];
  for (let seed = 1; seed <= count; seed++) {
    const noisy = await noisyPhoto(width, height, seed);
    const rotated = seed % 4 === 0;
    const jpeg = rotated ? await orientedPhotoFrom(noisy, 6) : noisy;
    photos.push({
      name: `bench-${seed}${rotated ? "-rotated" : ""}.${format === "heic" ? "heic" : "jpg"}`,
      data: format === "heic" ? await heifEnc(jpeg) : jpeg,
    });
  }
  return photos;
}

/**
 * The same photo size with detail at every scale, the coarse ones strongest,
 * as in a real photo: encoders find it easier than `makePhotoSet`'s
 * pixel-level noise, and trade bytes for speed differently on it.
 */
export async function makeTexturedPhotoSet(
  width: number,
  height: number,
  count: number,
): Promise<BenchPhoto[]> {
  const photos: BenchPhoto[] = [];
  for (let seed = 1; seed <= count; seed++) {
    photos.push({ name: `texture-${seed}.jpg`, data: await texturedPhoto(width, height, seed) });
  }
  return photos;
}

/** Each octave's size divisor and its weight in the sum: about 1/f, as natural images are. */
const OCTAVES = [
  [256, 160],
  [64, 80],
  [16, 40],
  [4, 20],
  [1, 10],
] as const;

async function texturedPhoto(width: number, height: number, seed: number): Promise<Buffer> {
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) % 1000) / 1000 - 0.5;
  };
  const sum = new Float32Array(width * height * 3);
  for (const [divisor, weight] of OCTAVES) {
    const [octaveWidth, octaveHeight] = [Math.ceil(width / divisor), Math.ceil(height / divisor)];
    const octave = new Uint8ClampedArray(octaveWidth * octaveHeight * 3);
    // Mostly brightness, some colour: the channels move together, as in a photo.
    for (let offset = 0; offset < octave.length; offset += 3) {
      const brightness = random() * 204;
      for (let channel = 0; channel < 3; channel++)
        octave[offset + channel] = 128 + brightness + random() * 80;
    }
    const scaled =
      divisor === 1
        ? octave
        : await sharp(octave, { raw: { width: octaveWidth, height: octaveHeight, channels: 3 } })
            .resize(width, height, { fit: "fill", kernel: "cubic" })
            .raw()
            .toBuffer();
    for (let index = 0; index < sum.length; index++) sum[index]! += ((scaled[index]! - 128) / 128) * weight;
  }
  const pixels = new Uint8ClampedArray(width * height * 3);
  for (let index = 0; index < sum.length; index++) pixels[index] = 128 + sum[index]!;
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}
