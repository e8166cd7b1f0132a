import { Readable } from "node:stream";

/**
 * Reads the first `size` bytes of a stream (fewer if it ends sooner) and
 * returns them with a stream of the whole content, head included, that has
 * not been read further.
 */
export async function readHead(source: Readable, size: number): Promise<{ head: Buffer; body: Readable }> {
  const iterator: AsyncIterator<Buffer> = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) break;
    chunks.push(next.value);
    length += next.value.byteLength;
  }
  const head = Buffer.concat(chunks);
  async function* whole() {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head: head.subarray(0, size), body: Readable.from(whole(), { objectMode: false }) };
}
