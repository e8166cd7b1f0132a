/**
 * The memory under `view`, when the view is all of it, so that it can be
 * moved to another thread rather than copied. A small Buffer is a slice of
 * Node's shared pool, which must never move (Node refuses, or ignores it).
 */
export function wholeBuffer(view: Uint8Array): ArrayBuffer | undefined {
  const { buffer } = view;
  return buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === buffer.byteLength
    ? buffer
    : undefined;
}
