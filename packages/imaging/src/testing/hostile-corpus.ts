// Hostile and unusual uploads, made at test time by code and by the tools such
// files come from (tool-fixtures.ts), so that no binary fixture lives in the
// repository. `pnpm --filter @darkroom/imaging corpus DIR` writes them out;
// the API's tests send each one through both upload endpoints.
import { crc32, deflateSync } from "node:zlib";
import type { ErrorCode } from "@darkroom/contracts";
import sharp from "sharp";
import { pngChunk } from "../heic";
import { noisyPhoto, orientedPhoto, solidImage } from "./fixtures";
import {
  cr2LikeTiff,
  exiftoolOn,
  heifEnc,
  imageMagickTiff,
  imageMagickToProfile,
  nefLikeTiff,
} from "./tool-fixtures";

export type CorpusOutcome =
  /** Refused before anything is stored, on both endpoints. */
  | { kind: "refused"; status: number; code: ErrorCode }
  /** Stored, then found bad by the pipeline: sync answers 422, a queued job fails. */
  | { kind: "unprocessable"; code: ErrorCode }
  /** Turned into a full, clean variant set. */
  | {
      kind: "processed";
      alpha?: boolean;
      contentType?: string;
      filename?: string;
      /** Upright, it is this shape, with a red top-left quadrant and blue elsewhere. */
      upright?: "landscape" | "portrait";
    };

export interface CorpusCase {
  /** Also the written file's name. */
  name: string;
  /** What the input is, for the README. */
  input: string;
  /** The name and type the client declares; neither is trusted. */
  filename: string;
  contentType: string;
  /** Files in the one request. @defaultValue 1 */
  files?: number;
  outcome: CorpusOutcome;
  make: (limits: { maxBytes: number }) => Promise<Buffer>;
}

const text = (content: string) => () => Promise.resolve(Buffer.from(content));

export const HOSTILE_CORPUS: readonly CorpusCase[] = [
  {
    name: "empty.jpg",
    input: "a zero-byte file",
    filename: "empty.jpg",
    contentType: "image/jpeg",
    outcome: { kind: "refused", status: 400, code: "EMPTY_FILE" },
    make: () => Promise.resolve(Buffer.alloc(0)),
  },
  {
    name: "text.jpg",
    input: "plain text named `.jpg`",
    filename: "notes.jpg",
    contentType: "image/jpeg",
    outcome: { kind: "refused", status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
    make: text("These are not the pixels you are looking for.\n".repeat(50)),
  },
  {
    name: "page.html",
    input: "an HTML page",
    filename: "page.jpg",
    contentType: "image/jpeg",
    outcome: { kind: "refused", status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
    make: text("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"),
  },
  {
    name: "script.svg",
    input: "an SVG with a script",
    filename: "logo.svg",
    contentType: "image/svg+xml",
    outcome: { kind: "refused", status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
    make: text(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script>' +
        '<rect width="10" height="10"/></svg>\n',
    ),
  },
  {
    name: "cr2-like.tif",
    input: "a Canon CR2 (a TIFF with the CR2 signature)",
    filename: "IMG_0001.CR2",
    contentType: "image/x-canon-cr2",
    outcome: { kind: "refused", status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
    make: async () => cr2LikeTiff(await noisyPhoto(320, 240)),
  },
  {
    name: "nef-like.tif",
    input: "a Nikon NEF (a TIFF whose first image is a reduced-resolution preview)",
    filename: "DSC_0001.NEF",
    contentType: "image/x-nikon-nef",
    outcome: { kind: "refused", status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
    make: async () => nefLikeTiff(await noisyPhoto(320, 240)),
  },
  {
    name: "oversized.jpg",
    input: "a file one byte over `UPLOAD_MAX_BYTES`",
    filename: "huge.jpg",
    contentType: "image/jpeg",
    outcome: { kind: "refused", status: 413, code: "FILE_TOO_LARGE" },
    make: async ({ maxBytes }) => {
      const photo = await noisyPhoto(64, 64);
      return Buffer.concat([photo, Buffer.alloc(maxBytes + 1 - photo.byteLength)]);
    },
  },
  {
    name: "two-files.jpg",
    input: "two files in one request",
    filename: "one.jpg",
    contentType: "image/jpeg",
    files: 2,
    outcome: { kind: "refused", status: 400, code: "TOO_MANY_FILES" },
    make: () => noisyPhoto(64, 64),
  },
  {
    name: "truncated.jpg",
    input: "a JPEG cut in half",
    filename: "truncated.jpg",
    contentType: "image/jpeg",
    outcome: { kind: "unprocessable", code: "IMAGE_CORRUPT" },
    make: async () => {
      const whole = await solidImage(800, 600);
      return whole.subarray(0, whole.byteLength / 2);
    },
  },
  {
    name: "bomb.png",
    input: "a PNG bomb: 10,001 × 10,001 pixels in 12 KB",
    filename: "bomb.png",
    contentType: "image/png",
    outcome: { kind: "unprocessable", code: "IMAGE_TOO_MANY_PIXELS" },
    make: () => Promise.resolve(blackPng(10_001, 10_001)),
  },
  {
    name: "enormous-header.png",
    input: "a PNG whose header declares 65,535 × 65,535 pixels",
    filename: "enormous.png",
    contentType: "image/png",
    outcome: { kind: "unprocessable", code: "IMAGE_TOO_MANY_PIXELS" },
    make: () => Promise.resolve(blackPng(65_535, 65_535, 1)),
  },
  {
    name: "polyglot.jpg",
    input: "a JPEG with a ZIP appended (a polyglot)",
    filename: "polyglot.jpg",
    contentType: "image/jpeg",
    outcome: { kind: "processed" },
    make: async () =>
      Buffer.concat([await noisyPhoto(640, 480), zipWith("payload.html", "<script>1</script>")]),
  },
  {
    name: "control-characters.jpg",
    input: "a file name with raw control characters (NUL, BEL)",
    filename: "photo\u0000\u0007.jpg",
    contentType: "image/jpeg",
    outcome: { kind: "refused", status: 400, code: "VALIDATION_FAILED" },
    make: () => noisyPhoto(64, 64),
  },
  {
    name: "traversal.jpg",
    input: "a file name with `../` and a right-to-left override",
    filename: "../../etc/pass\u202ewd.jpg",
    contentType: "image/jpeg",
    outcome: { kind: "processed", filename: "passwd.jpg" },
    make: () => noisyPhoto(640, 480),
  },
  {
    name: "lying-type.jpg",
    input: "a PNG sent as `image/jpeg` named `.jpg`",
    filename: "really-a-png.jpg",
    contentType: "image/jpeg",
    outcome: { kind: "processed", contentType: "image/png" },
    make: () => solidImage(640, 480, "png"),
  },
  {
    name: "cmyk.jpg",
    input: "a CMYK JPEG",
    filename: "print.jpg",
    contentType: "image/jpeg",
    outcome: { kind: "processed" },
    make: async () =>
      sharp(await noisyPhoto(640, 480))
        .toColourspace("cmyk")
        .jpeg()
        .toBuffer(),
  },
  {
    name: "16-bit.png",
    input: "a 16-bit PNG",
    filename: "deep.png",
    contentType: "image/png",
    outcome: { kind: "processed" },
    make: async () =>
      sharp(await noisyPhoto(640, 480))
        .toColourspace("rgb16")
        .png()
        .toBuffer(),
  },
  {
    name: "animated.gif",
    input: "an animated GIF (the first frame is kept)",
    filename: "animated.gif",
    contentType: "image/gif",
    outcome: { kind: "processed" },
    make: () => {
      const [width, height, frames] = [320, 240, 3];
      const pixels = Buffer.alloc(width * height * frames * 3);
      for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(i / (width * height * 3)) * 100;
      return sharp(pixels, { raw: { width, height: height * frames, channels: 3, pageHeight: height } })
        .gif()
        .toBuffer();
    },
  },
  ...(
    [
      ["imagemagick.tif", "a TIFF from ImageMagick, its directory at the end", {}],
      ["imagemagick-lzw.tif", "an LZW TIFF from ImageMagick", { compress: "lzw" }],
      ["big-endian.tif", "a big-endian (`MM`) TIFF from ImageMagick", { endian: "msb" }],
      ["bigtiff.tif", "a BigTIFF from ImageMagick", { bigTiff: true }],
    ] as const
  ).map(([name, input, options]): CorpusCase => ({
    name,
    input,
    filename: "scan.tif",
    contentType: "image/tiff",
    outcome: { kind: "processed" },
    make: async () => imageMagickTiff(await noisyPhoto(640, 480), options),
  })),
  {
    name: "sharp.tif",
    input: "a TIFF from sharp",
    filename: "export.tiff",
    contentType: "image/tiff",
    outcome: { kind: "processed" },
    make: async () =>
      sharp(await noisyPhoto(640, 480))
        .tiff()
        .toBuffer(),
  },
  {
    name: "iphone-like.heic",
    input: "a HEIC from `heif-enc`: a portrait in Display P3, EXIF orientation 6, GPS",
    filename: "IMG_0001.HEIC",
    contentType: "image/heic",
    outcome: { kind: "processed", contentType: "image/heic", upright: "portrait" },
    make: async () => heifEnc(await iphoneLikeJpeg()),
  },
  {
    name: "burst.heic",
    input: "a HEIC holding two images (the primary one is kept)",
    filename: "IMG_0002.HEIC",
    contentType: "image/heic",
    outcome: { kind: "processed", upright: "portrait" },
    make: async () => heifEnc([await iphoneLikeJpeg(), await solidImage(300, 400, "jpeg", GREEN)]),
  },
  {
    name: "truncated.heic",
    input: "a HEIC cut in half",
    filename: "cut.heic",
    contentType: "image/heic",
    outcome: { kind: "unprocessable", code: "IMAGE_CORRUPT" },
    make: async () => {
      const whole = await heifEnc(await noisyPhoto(640, 480));
      return whole.subarray(0, whole.byteLength / 2);
    },
  },
  {
    name: "huge.heic",
    input: "a HEIC whose `ispe` declares 100,000 × 100,000 pixels",
    filename: "huge.heic",
    contentType: "image/heic",
    outcome: { kind: "unprocessable", code: "IMAGE_TOO_MANY_PIXELS" },
    make: async () => {
      const heic = Buffer.from(await heifEnc(await noisyPhoto(640, 480)));
      // The primary image's spatial extent: a full box (4 bytes of version and flags), then width and height.
      const ispe = heic.indexOf("ispe");
      heic.writeUInt32BE(100_000, ispe + 8);
      heic.writeUInt32BE(100_000, ispe + 12);
      return heic;
    },
  },
  {
    name: "broken-hevc.heic",
    input: "a HEIC whose HEVC stream is overwritten past its first NAL unit's length",
    filename: "broken.heic",
    contentType: "image/heic",
    outcome: { kind: "unprocessable", code: "IMAGE_CORRUPT" },
    make: async () => {
      const heic = Buffer.from(await heifEnc(await noisyPhoto(640, 480)));
      // `mdat` holds the coded image: a 4-byte NAL unit length, then the unit. A decoder
      // forgives damaged slice data (it decodes grey), not a stream with no valid unit.
      heic.fill(0xff, heic.indexOf("mdat") + 8);
      return heic;
    },
  },
  {
    name: "alpha.png",
    input: "a PNG with transparency",
    filename: "cutout.png",
    contentType: "image/png",
    outcome: { kind: "processed", alpha: true },
    make: () =>
      sharp({
        create: { width: 640, height: 480, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0 } },
      })
        .png()
        .toBuffer(),
  },
  {
    name: "grayscale.jpg",
    input: "a grayscale JPEG",
    filename: "mono.jpg",
    contentType: "image/jpeg",
    outcome: { kind: "processed" },
    make: async () =>
      sharp(await noisyPhoto(640, 480))
        .grayscale()
        .jpeg()
        .toBuffer(),
  },
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((orientation): CorpusCase => ({
    name: `orientation-${orientation}.jpg`,
    input: `EXIF orientation ${orientation}, with a GPS position`,
    filename: `orientation-${orientation}.jpg`,
    contentType: "image/jpeg",
    outcome: { kind: "processed" },
    make: () => orientedPhoto(orientation, 400, 200),
  })),
];

const GREEN = { r: 0, g: 255, b: 0 };

/**
 * A JPEG as an iPhone takes one: the pixels of a 300 × 400 portrait stored
 * turned (landscape), converted to Display P3 by ImageMagick (sharp's
 * built-in profiles), then EXIF orientation 6, a camera and a GPS position
 * set by exiftool.
 */
async function iphoneLikeJpeg(): Promise<Buffer> {
  const stored = await orientedPhoto(6, 300, 400);
  const iccOf = async (image: Buffer) => (await sharp(image).metadata()).icc!;
  const displayP3 = await iccOf(await sharp(stored).withIccProfile("p3").toBuffer());
  const inP3 = await imageMagickToProfile(stored, await iccOf(stored), displayP3);
  return exiftoolOn(inP3, "jpg", [
    "-Orientation#=6",
    "-Make=Apple",
    "-Model=iPhone 15",
    "-GPSLatitude=51.5",
    "-GPSLatitudeRef=N",
  ]);
}

/** The outcome as the README's table states it. */
export function describeOutcome(outcome: CorpusOutcome): string {
  switch (outcome.kind) {
    case "refused":
      return `${outcome.status} \`${outcome.code}\`, nothing stored`;
    case "unprocessable":
      return `sync: 422 \`${outcome.code}\`, nothing kept; queued: 202, then the job fails with \`${outcome.code}\``;
    case "processed":
      return [
        "processed: sRGB, upright, no metadata",
        outcome.alpha && "alpha kept in WebP, flattened on white in JPEG",
        outcome.contentType && `stored as \`${outcome.contentType}\`, from its bytes`,
        outcome.filename && `name kept as \`${outcome.filename}\``,
      ]
        .filter(Boolean)
        .join("; ");
  }
}

/** The rows of the README's table: input, then outcome; the eight orientations share one. */
export function corpusRows(): [input: string, outcome: string][] {
  return HOSTILE_CORPUS.filter((entry) => !/^orientation-[2-8]/.test(entry.name)).map((entry) => [
    entry.name.startsWith("orientation-") ? "EXIF orientations 1 to 8, with a GPS position" : entry.input,
    describeOutcome(entry.outcome),
  ]);
}

export function corpusTable(): string {
  return [["input", "outcome"], ["---", "---"], ...corpusRows()]
    .map((row) => `| ${row.join(" | ")} |`)
    .join("\n");
}

/** A black 1-bit grayscale PNG; `rows` limits the pixel data actually written. */
function blackPng(width: number, height: number, rows = height): Buffer {
  const row = Buffer.alloc(1 + Math.ceil(width / 8));
  const data = deflateSync(Buffer.concat(Array.from({ length: rows }, () => row)), { level: 9 });
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, grayscale, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", data),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A ZIP archive holding one stored (uncompressed) file. */
function zipWith(name: string, content: string): Buffer {
  const [fileName, data] = [Buffer.from(name), Buffer.from(content)];
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.byteLength, 18);
  local.writeUInt32LE(data.byteLength, 22);
  local.writeUInt16LE(fileName.byteLength, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.byteLength, 20);
  central.writeUInt32LE(data.byteLength, 24);
  central.writeUInt16LE(fileName.byteLength, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.byteLength + fileName.byteLength, 12);
  end.writeUInt32LE(local.byteLength + fileName.byteLength + data.byteLength, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}
