import { describe, expect, it } from "vitest";
import { createS3Storage, originalMetadata } from "../src";

const EMOJI_NAME = `${"📸".repeat(251)}.jpg`;
const metadataBytes = (metadata: Record<string, string>) =>
  Object.entries(metadata).reduce((sum, [name, value]) => sum + Buffer.byteLength(name + value), 0);

describe("an original's metadata", () => {
  it("keeps a name as it is, when it fits", () => {
    const metadata = originalMetadata.of("Été à Paris.jpg", "owner-1");
    expect(originalMetadata.filename(metadata)).toBe("Été à Paris.jpg");
    expect(originalMetadata.owner(metadata)).toBe("owner-1");
  });

  it("shortens 255 emoji visibly, at a whole character, to stay within S3's 2 KB", () => {
    const metadata = originalMetadata.of(EMOJI_NAME, crypto.randomUUID());

    expect(metadataBytes(metadata)).toBeLessThanOrEqual(2048);
    const stored = originalMetadata.filename(metadata);
    expect(stored.endsWith("…")).toBe(true);
    expect(EMOJI_NAME.startsWith(stored.slice(0, -1))).toBe(true);
    expect(stored.length).toBeGreaterThan(50);
  });

  it("is refused by the storage layer over 2 KB, as S3 refuses it, before anything is sent", async () => {
    const storage = createS3Storage({
      endpoint: "http://127.0.0.1:9",
      publicEndpoint: "http://127.0.0.1:9",
      region: "us-east-1",
      bucket: "unused",
      accessKeyId: "unused",
      secretAccessKey: "unused",
      forcePathStyle: true,
      keyPrefix: "",
    });
    const tooMuch = { filename: "x".repeat(2100) };

    await expect(storage.put("k", Buffer.from("x"), "image/jpeg", tooMuch)).rejects.toThrow(/2048/);
    await expect(storage.signPut("k", { bytes: 1, metadata: tooMuch, expiresInS: 60 })).rejects.toThrow(
      /2048/,
    );
  });
});
