import { randomUUID } from "node:crypto";
import { noisyPhoto } from "@darkroom/imaging/testing";

export interface PhotoFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/**
 * `count` photos with names no other test uses: the gallery shows every
 * upload of the run, so a test finds its own cards by name.
 */
export async function photoFiles(
  label: string,
  count: number,
  width = 2400,
  height = 1600,
): Promise<PhotoFile[]> {
  const run = randomUUID().slice(0, 8);
  return Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      name: `${label}-${run}-${i + 1}.jpg`,
      mimeType: "image/jpeg",
      buffer: await noisyPhoto(width, height, i + 1),
    })),
  );
}
