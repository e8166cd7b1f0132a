import { randomUUID } from "node:crypto";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { SNIFF_BYTES } from "@darkroom/imaging";
import { cr2LikeTiff, imageMagickTiff, noisyPhoto } from "@darkroom/imaging/testing";
import { objectKeys, storageFromEnv, type ObjectStorage } from "@darkroom/storage";
import { describe, expect, it } from "vitest";
import { checkStoredOriginal } from "../src";

/** The storage, counting the bytes each ranged GET asks for. */
function counted(storage: ObjectStorage) {
  const gets: number[] = [];
  const wrapped: ObjectStorage = {
    ...storage,
    readStart: (key, bytes) => (gets.push(bytes), storage.readStart(key, bytes)),
    readRange: (key, offset, bytes) => (gets.push(bytes), storage.readRange(key, offset, bytes)),
  };
  return { storage: wrapped, gets };
}

describe("checkStoredOriginal: a stored original's type, from ranged reads", () => {
  const env = isolatedEnv();
  const s3 = storageFromEnv(env);
  const limits = { maxBytes: 50 * 1024 * 1024 };

  async function stored(bytes: Buffer): Promise<string> {
    const id = randomUUID();
    await s3.put(objectKeys.original(id), bytes, "application/octet-stream");
    return id;
  }

  it("finds a 9 MB TIFF's directory at its end with one more ranged GET of at most 4 KiB", async () => {
    const tiff = await imageMagickTiff(await noisyPhoto(2000, 1500));
    const { storage, gets } = counted(s3);

    const checked = await checkStoredOriginal(storage, await stored(tiff), limits);

    expect(checked?.contentType).toBe("image/tiff");
    expect(gets).toHaveLength(2);
    expect(gets[0]).toBe(SNIFF_BYTES);
    expect(gets[1]).toBeLessThanOrEqual(4096);
  });

  it("refuses a CR2 and deletes it, from its first bytes alone", async () => {
    const id = await stored(await cr2LikeTiff(await noisyPhoto(320, 240)));
    const { storage, gets } = counted(s3);

    await expect(checkStoredOriginal(storage, id, limits)).rejects.toMatchObject({
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: /Canon CR2/,
    });
    expect(gets).toEqual([SNIFF_BYTES]);
    expect(await s3.head(objectKeys.original(id))).toBeUndefined();
  });

  it("refuses 9 MB of anything else from its first bytes alone", async () => {
    const id = await stored(Buffer.alloc(9 * 1024 * 1024, "not a photo "));
    const { storage, gets } = counted(s3);

    await expect(checkStoredOriginal(storage, id, limits)).rejects.toMatchObject({
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
    expect(gets).toEqual([SNIFF_BYTES]);
  });
});
