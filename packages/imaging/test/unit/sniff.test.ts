import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { sniffImageType } from "../../src";

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

  it("rejects HEIC with advice to convert it", async () => {
    const heicHeader = Buffer.concat([
      Buffer.from([0, 0, 0, 0x18]),
      Buffer.from("ftypheic"),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from("mif1heic"),
    ]);
    await expect(sniffImageType(heicHeader)).rejects.toMatchObject({
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: /HEIC/,
    });
  });

  it("rejects an empty file", async () => {
    await expect(sniffImageType(new Uint8Array())).rejects.toMatchObject({ code: "EMPTY_FILE" });
  });
});
