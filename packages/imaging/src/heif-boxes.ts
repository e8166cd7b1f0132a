/** What a HEIF file's boxes say of its primary image, read without decoding anything. */
export interface HeifPrimary {
  /** From its `ispe` property: the coded size, before any rotation. */
  width: number;
  height: number;
  /** It carries an `irot` or `imir` property, which the decoder applies. */
  transformed: boolean;
}

interface Box {
  type: string;
  /** Where its content starts and ends. */
  start: number;
  end: number;
}

function* boxesIn(view: DataView, start: number, end: number): Generator<Box> {
  let at = start;
  while (at + 8 <= end) {
    let size = view.getUint32(at);
    const type = String.fromCharCode(
      view.getUint8(at + 4),
      view.getUint8(at + 5),
      view.getUint8(at + 6),
      view.getUint8(at + 7),
    );
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) return;
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) return;
    yield { type, start: at + header, end: at + size };
    at += size;
  }
}

const find = (view: DataView, box: Box, type: string, skip = 0) => {
  for (const child of boxesIn(view, box.start + skip, box.end)) if (child.type === type) return child;
  return undefined;
};

/**
 * Reads the primary item's size and transforms from the `meta` box: `pitm`
 * names the item, `ipma` lists its properties, `ipco` holds them. The pixel
 * limit is checked from this, before the decoder allocates anything.
 * @returns undefined when the boxes are missing or do not say.
 */
export function readHeifPrimary(input: Uint8Array): HeifPrimary | undefined {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const file: Box = { type: "", start: 0, end: input.byteLength };
  const meta = find(view, file, "meta");
  if (!meta) return undefined;
  // `meta`, `pitm`, `ipma` and `ispe` are full boxes: a version byte and 3 bytes of flags first.
  const pitm = find(view, meta, "pitm", 4);
  const iprp = find(view, meta, "iprp", 4);
  const ipco = iprp && find(view, iprp, "ipco");
  const ipma = iprp && find(view, iprp, "ipma");
  if (!pitm || !ipco || !ipma || pitm.end - pitm.start < 6) return undefined;
  const primary =
    view.getUint8(pitm.start) === 0 ? view.getUint16(pitm.start + 4) : view.getUint32(pitm.start + 4);

  const properties = [...boxesIn(view, ipco.start, ipco.end)];
  const version = view.getUint8(ipma.start);
  const wideIndex = (view.getUint8(ipma.start + 3) & 1) === 1;
  let at = ipma.start + 8;
  const entries = view.getUint32(ipma.start + 4);
  for (let entry = 0; entry < entries && at < ipma.end; entry++) {
    const item = version < 1 ? view.getUint16(at) : view.getUint32(at);
    at += version < 1 ? 2 : 4;
    const count = view.getUint8(at++);
    const indices: number[] = [];
    for (let n = 0; n < count && at < ipma.end; n++) {
      indices.push(wideIndex ? view.getUint16(at) & 0x7fff : view.getUint8(at) & 0x7f);
      at += wideIndex ? 2 : 1;
    }
    if (item !== primary) continue;

    // Indices count from 1; 0 means "no property".
    const associated = indices.flatMap((index) => (index > 0 && properties[index - 1]) || []);
    const ispe = associated.find((property) => property.type === "ispe");
    if (!ispe || ispe.end - ispe.start < 12) return undefined;
    return {
      width: view.getUint32(ispe.start + 4),
      height: view.getUint32(ispe.start + 8),
      transformed: associated.some((property) => property.type === "irot" || property.type === "imir"),
    };
  }
  return undefined;
}
