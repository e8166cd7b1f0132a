import { noisyPhoto, orientedPhotoFrom } from "@darkroom/imaging/testing";

/** Distinct photos in a set; uploads cycle through them. */
const SET_SIZE = 8;

export interface BenchPhoto {
  name: string;
  data: Buffer;
}

/**
 * The same photos on every run: seeded noise over gradients, so they
 * compress like real photos, and one in four carries an EXIF rotation.
 */
export async function makePhotoSet(width: number, height: number): Promise<BenchPhoto[]> {
  const photos: BenchPhoto[] = [];
  for (let seed = 1; seed <= SET_SIZE; seed++) {
    const jpeg = await noisyPhoto(width, height, seed);
    const rotated = seed % 4 === 0;
    photos.push({
      name: `bench-${seed}${rotated ? "-rotated" : ""}.jpg`,
      data: rotated ? await orientedPhotoFrom(jpeg, 6) : jpeg,
    });
  }
  return photos;
}
