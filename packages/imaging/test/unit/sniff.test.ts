import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { rangeTokenizer, sniffImageType, SNIFF_BYTES } from "../../src";
import { cr2LikeTiff, heifEnc, imageMagickTiff, nefLikeTiff, noisyPhoto } from "../../src/testing";

const tiny = (format: "jpeg" | "png" | "webp" | "gif" | "tiff" | "avif") =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: "#336699" } })
    .toFormat(format)
    .toBuffer();

describe("sniffImageType", () => {
  it.each([
    ["jpeg", "image/jpeg"],
    ["png", "image/png"],
    ["webp", "image/webp"],
    ["gif", "image/gif"],
    ["tiff", "image/tiff"],
    ["avif", "image/avif"],
  ] as const)("accepts %s from its bytes", async (format, mime) => {
    expect(await sniffImageType(await tiny(format))).toBe(mime);
  });

  it("takes an animated PNG as a PNG, whose first frame is rendered", async () => {
    const png = await tiny("png");
    // An acTL chunk right after IHDR (8-byte signature + 25-byte IHDR chunk) makes a PNG an APNG.
    const acTL = Buffer.concat([
      Buffer.from([0, 0, 0, 8]),
      Buffer.from("acTL"),
      Buffer.alloc(8),
      Buffer.alloc(4),
    ]);
    const apng = Buffer.concat([png.subarray(0, 33), acTL, png.subarray(33)]);

    expect(await sniffImageType(apng)).toBe("image/png");
  });

  it("rejects text, whatever its name", async () => {
    await expect(sniffImageType(Buffer.from("hello, this is not a photo"))).rejects.toMatchObject({
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
  });

  it("rejects SVG, which can carry scripts", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    await expect(sniffImageType(svg)).rejects.toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
  });

  it("accepts a HEIC from heif-enc, by its bytes", async () => {
    expect(await sniffImageType(await heifEnc(await noisyPhoto(64, 48)))).toBe("image/heic");
  });

  it("rejects an empty file", async () => {
    await expect(sniffImageType(new Uint8Array())).rejects.toMatchObject({ code: "EMPTY_FILE" });
  });

  describe("TIFF, whose first directory may lie anywhere", () => {
    it.each([
      ["ImageMagick", {}],
      ["ImageMagick, LZW", { compress: "lzw" }],
      ["ImageMagick, big-endian", { endian: "msb" }],
      ["ImageMagick, BigTIFF", { bigTiff: true }],
    ] as const)("accepts a TIFF from %s with its directory at the end", async (_writer, options) => {
      const tiff = await imageMagickTiff(await noisyPhoto(640, 480), options);
      expect(tiff.byteLength).toBeGreaterThan(100_000);

      expect(await sniffImageType(tiff)).toBe("image/tiff");
    });

    it("accepts a TIFF from sharp", async () => {
      const tiff = await sharp(await noisyPhoto(640, 480))
        .tiff()
        .toBuffer();
      expect(await sniffImageType(tiff)).toBe("image/tiff");
    });

    it("rejects a CR2 and a NEF, saying which camera RAW they are", async () => {
      const photo = await noisyPhoto(320, 240);
      await expect(sniffImageType(await cr2LikeTiff(photo))).rejects.toMatchObject({
        code: "UNSUPPORTED_MEDIA_TYPE",
        message: /camera RAW image \(Canon CR2\)/,
      });
      await expect(sniffImageType(await nefLikeTiff(photo))).rejects.toMatchObject({
        code: "UNSUPPORTED_MEDIA_TYPE",
        message: /camera RAW image \(NIKON CORPORATION NIKON D850\)/,
      });
    });

    it("reads one range of at most 4 KiB past the first bytes of a 9 MB TIFF", async () => {
      const tiff = await imageMagickTiff(await noisyPhoto(2000, 1500));
      const reads: [offset: number, length: number][] = [];
      const tokenizer = rangeTokenizer({
        size: tiff.byteLength,
        start: tiff.subarray(0, SNIFF_BYTES),
        read: (offset, length) => {
          reads.push([offset, length]);
          return Promise.resolve(tiff.subarray(offset, offset + length));
        },
      });

      expect(await sniffImageType(tokenizer)).toBe("image/tiff");
      expect(reads).toHaveLength(1);
      expect(reads[0]![1]).toBeLessThanOrEqual(4096);
      expect(tokenizer.spent).toEqual({ bytes: reads[0]![1], reads: 1 });
    });

    it("refuses a file that needs more reads than the budget, without making them", async () => {
      const size = 50 * 1024 * 1024;
      let reads = 0;
      const tokenizer = rangeTokenizer(
        { size, read: (_offset, length) => Promise.resolve(new Uint8Array(length).fill(reads++)) },
        { maxReads: 3 },
      );
      const probe = (position: number) => tokenizer.readBuffer(new Uint8Array(16), { position });

      await probe(1_000_000);
      await probe(2_000_000);
      await probe(3_000_000);
      await expect(probe(4_000_000)).rejects.toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
      expect(reads).toBe(3);
      expect(tokenizer.spent.bytes).toBe(3 * 4096);
    });
  });
});
