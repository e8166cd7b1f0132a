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
): Promise<BenchPhoto[]> {
  const photos: BenchPhoto[] = [];
  for (let seed = 1; seed <= SET_SIZE; seed++) {
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
