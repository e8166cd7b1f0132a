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
 * `convert photo.jpg -profile FROM.icc -profile TO.icc out.jpg`: ImageMagick
 * (with lcms) converts the pixels from one ICC profile to the other and
 * embeds the second.
 */
export function imageMagickToProfile(jpeg: Buffer, from: Buffer, to: Buffer): Promise<Buffer> {
  return withTool(jpeg, "jpg", async (dir, inPath, outPath) => {
    const [fromPath, toPath] = [join(dir, "from.icc"), join(dir, "to.icc")];
    await Promise.all([writeFile(fromPath, from), writeFile(toPath, to)]);
    await run("convert", [
      inPath,
      "-profile",
      fromPath,
      "-profile",
      toPath,
      "-quality",
      "95",
      `JPEG:${outPath}`,
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
export async function nefLikeTiff(jpeg: Buffer): Promise<Buffer> {
  return exiftoolOn(await imageMagickTiff(jpeg), "tiff", [
    "-Make=NIKON CORPORATION",
    "-Model=NIKON D850",
    "-SubfileType=Reduced-resolution image",
  ]);
}

/** `exiftool ARGS FILE`, in place. */
export async function exiftool(path: string, args: string[]): Promise<void> {
  await run("exiftool", ["-q", "-overwrite_original", ...args, path]);
}

/** `bytes` as `exiftool ARGS` leaves them. */
export function exiftoolOn(bytes: Buffer, ext: string, args: string[]): Promise<Buffer> {
  return withTool(bytes, ext, async (_dir, inPath) => {
    await exiftool(inPath, args);
    return inPath;
  });
}

/**
 * `heif-enc -q QUALITY IMAGES…`: an HEVC-coded HEIC, keeping the first
 * input's EXIF and ICC profile. Several inputs make a multi-image file whose
 * first image is the primary one.
 */
export async function heifEnc(inputs: Buffer | Buffer[], quality = 60): Promise<Buffer> {
  const images = Array.isArray(inputs) ? inputs : [inputs];
  const dir = await mkdtemp(join(tmpdir(), "darkroom-fixture-"));
  try {
    const paths = await Promise.all(
      images.map(async (image, n) => {
        const ext = image.subarray(0, 4).toString("latin1") === "\x89PNG" ? "png" : "jpg";
        const path = join(dir, `in-${n}.${ext}`);
        await writeFile(path, image);
        return path;
      }),
    );
    const out = join(dir, "out.heic");
    await run("heif-enc", ["-q", String(quality), "-o", out, ...paths]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
