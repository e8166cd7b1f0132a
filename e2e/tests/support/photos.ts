import { randomUUID } from "node:crypto";
import { noisyPhoto } from "@darkroom/imaging/testing";
import type { Locator } from "@playwright/test";

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

/** Drops `file` on `target`, as a file dragged from the desktop is. */
export async function dropFiles(target: Locator, file: PhotoFile): Promise<void> {
  const dataTransfer = await target.page().evaluateHandle(
    ({ name, mimeType, base64 }) => {
      const transfer = new DataTransfer();
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      transfer.items.add(new File([bytes], name, { type: mimeType }));
      return transfer;
    },
    { name: file.name, mimeType: file.mimeType, base64: file.buffer.toString("base64") },
  );
  await target.dispatchEvent("dragenter", { dataTransfer });
  await target.dispatchEvent("drop", { dataTransfer });
}
