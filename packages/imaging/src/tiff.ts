import type { IRandomAccessTokenizer } from "strtok3";

/** `II*\0`, `MM\0*` (TIFF) and `II+\0`, `MM\0+` (BigTIFF). */
export function isTiffHead(head: Uint8Array): boolean {
  if (head.byteLength < 4) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const order = view.getUint16(0);
  if (order !== 0x4949 && order !== 0x4d4d) return false;
  const version = view.getUint16(2, order === 0x4949);
  return version === 42 || version === 43;
}

const TAG = {
  newSubfileType: 254,
  photometric: 262,
  make: 271,
  model: 272,
  dngVersion: 50706,
} as const;

/** Photometric interpretations that only camera sensors produce: colour filter array, linear raw. */
const SENSOR_PHOTOMETRICS = new Set([32803, 34892]);

/** Entries read from the first directory at most: real files have a few dozen. */
const MAX_ENTRIES = 512;

/**
 * Whether a TIFF is a camera RAW file that `file-type` does not name (a NEF
 * or ARW written differently from the ones it knows, a DNG from a converter):
 * its first directory holds sensor data, or is only a reduced-resolution
 * preview of an image stored elsewhere in the file, as camera RAW files have.
 * A decoder would render that preview, a thumbnail, as if it were the photo.
 *
 * Reads the header and the first directory, and the make and model when it
 * is RAW, through the tokenizer's random access.
 * @returns a name for the message ("NIKON CORPORATION NIKON D850"), or undefined for a plain TIFF.
 */
export async function cameraRawOf(tokenizer: IRandomAccessTokenizer): Promise<string | undefined> {
  const size = tokenizer.fileInfo.size;
  const read = async (position: number, length: number): Promise<DataView | undefined> => {
    if (position < 0 || position + length > size) return undefined;
    const bytes = new Uint8Array(length);
    await tokenizer.readBuffer(bytes, { position });
    return new DataView(bytes.buffer);
  };

  const header = await read(0, 16);
  if (!header) return undefined;
  const little = header.getUint16(0) === 0x4949;
  const big = header.getUint16(2, little) === 43;
  const offsetOf = (view: DataView, at: number) =>
    big ? Number(view.getBigUint64(at, little)) : view.getUint32(at, little);
  const [entryBytes, countBytes, valueBytes] = big ? [20, 8, 8] : [12, 2, 4];

  const ifd = offsetOf(header, big ? 8 : 4);
  const countView = await read(ifd, countBytes);
  if (!countView) return undefined;
  const count = Math.min(MAX_ENTRIES, big ? offsetOf(countView, 0) : countView.getUint16(0, little));
  const entries = await read(ifd + countBytes, count * entryBytes);
  if (!entries) return undefined;

  const found = new Map<number, { type: number; count: number; at: number }>();
  for (let n = 0; n < count; n++) {
    const at = n * entryBytes;
    found.set(entries.getUint16(at, little), {
      type: entries.getUint16(at + 2, little),
      // The count field has the width of an offset: 4 bytes, or 8 in a BigTIFF.
      count: offsetOf(entries, at + 4),
      at: at + 4 + valueBytes,
    });
  }
  /** A SHORT or LONG value, which always fits in the entry. */
  const numberOf = (tag: number): number | undefined => {
    const entry = found.get(tag);
    if (!entry) return undefined;
    return entry.type === 3 ? entries.getUint16(entry.at, little) : entries.getUint32(entry.at, little);
  };
  const textOf = async (tag: number): Promise<string> => {
    const entry = found.get(tag);
    if (!entry || entry.type !== 2 || entry.count > 256) return "";
    const view =
      entry.count <= valueBytes
        ? new DataView(entries.buffer, entry.at, entry.count)
        : await read(offsetOf(entries, entry.at), entry.count);
    if (!view) return "";
    return new TextDecoder("latin1")
      .decode(new Uint8Array(view.buffer, view.byteOffset, view.byteLength))
      .replace(/\0.*$/s, "")
      .trim();
  };

  const sensorData = SENSOR_PHOTOMETRICS.has(numberOf(TAG.photometric) ?? 0);
  const previewFirst = ((numberOf(TAG.newSubfileType) ?? 0) & 1) === 1;
  if (!sensorData && !previewFirst && !found.has(TAG.dngVersion)) return undefined;
  const camera = [await textOf(TAG.make), await textOf(TAG.model)].filter(Boolean).join(" ");
  return camera || (found.has(TAG.dngVersion) ? "Adobe DNG" : "unknown camera");
}
