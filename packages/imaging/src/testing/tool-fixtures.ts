// Test files written by the tools people's photos come from, run at test time:
// ImageMagick (`convert`), libheif's `heif-enc` (a real HEVC encoder) and
// `exiftool`. Debian: imagemagick, libheif-examples, libimage-exiftool-perl;
// `.ci/run` installs them. Nothing here writes a header by hand.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Runs `steps` in a new temporary directory holding `input` as `in.<ext>`, then returns `out`'s bytes. */
async function withTool(
  input: Buffer,
  ext: string,
  steps: (dir: string, inPath: string, outPath: string) => Promise<string | void>,
  outName = "out",
): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), "darkroom-fixture-"));
  try {
    const inPath = join(dir, `in.${ext}`);
    await writeFile(inPath, input);
    const outPath = (await steps(dir, inPath, join(dir, outName))) ?? join(dir, outName);
    return await readFile(outPath);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ImageMagickTiffOptions {
  /** @defaultValue none */
  compress?: "lzw" | "zip";
  /** `msb` writes a big-endian (`MM`) TIFF. @defaultValue lsb */
  endian?: "lsb" | "msb";
  /** A BigTIFF (64-bit offsets). @defaultValue false */
  bigTiff?: boolean;
}

/**
 * `convert photo.jpg photo.tiff`: ImageMagick writes the strips first and the
 * first directory at the end of the file, as most TIFF writers do.
 */
export function imageMagickTiff(jpeg: Buffer, options: ImageMagickTiffOptions = {}): Promise<Buffer> {
  return withTool(jpeg, "jpg", async (_dir, inPath, outPath) => {
    await run("convert", [
      inPath,
      ...(options.compress ? ["-compress", options.compress] : ["-compress", "none"]),
      ...(options.endian ? ["-define", `tiff:endian=${options.endian}`] : []),
      // No date or software tags: the same input makes the same bytes.
      "-define",
      "tiff:exif-properties=false",
      "+set",
      "date:create",
      "+set",
      "date:modify",
      `${options.bigTiff ? "TIFF64" : "TIFF"}:${outPath}`,
    ]);
  });
}

/**
 * A Canon CR2 as far as its header goes: an ImageMagick TIFF (strips from
 * byte 8) with the CR2 signature that follows a CR2's TIFF header ("CR",
 * version 2.0, then the RAW directory's offset, here 0) written over its
 * first 8 bytes of pixel data. That signature is how a CR2 is recognised.
 */
export async function cr2LikeTiff(jpeg: Buffer): Promise<Buffer> {
  const tiff = Buffer.from(await imageMagickTiff(jpeg));
  if (tiff.readUInt32LE(4) <= 16) throw new Error("expected the first directory after the strips");
  tiff.set([0x43, 0x52, 2, 0, 0, 0, 0, 0], 8);
  return tiff;
}

/**
 * A Nikon NEF as far as its first directory goes: an ImageMagick TIFF that
 * `exiftool` tags with a Nikon make and model and marks as a reduced-resolution
 * image (NewSubfileType 1), as a NEF's first directory is (its preview; the
 * sensor data is in a sub-directory).
 */
export function nefLikeTiff(jpeg: Buffer): Promise<Buffer> {
  return imageMagickTiff(jpeg).then((tiff) =>
    withTool(tiff, "tiff", async (_dir, inPath) => {
      await exiftool(inPath, [
        "-Make=NIKON CORPORATION",
        "-Model=NIKON D850",
        "-SubfileType=Reduced-resolution image",
      ]);
      return inPath;
    }),
  );
}

/** `exiftool ARGS FILE`, in place. */
export async function exiftool(path: string, args: string[]): Promise<void> {
  await run("exiftool", ["-q", "-overwrite_original", ...args, path]);
}

/** `heif-enc -q QUALITY`: an HEVC-coded HEIC, keeping the input's EXIF and ICC profile. */
export function heifEnc(jpegOrPng: Buffer, quality = 60, extraArgs: string[] = []): Promise<Buffer> {
  const ext = jpegOrPng.subarray(0, 4).toString("latin1") === "\x89PNG" ? "png" : "jpg";
  return withTool(
    jpegOrPng,
    ext,
    async (_dir, inPath, outPath) => {
      await run("heif-enc", ["-q", String(quality), ...extraArgs, "-o", outPath, inPath]);
    },
    "out.heic",
  );
}
