import { workerData, type MessagePort } from "node:worker_threads";
import { move, transferableSymbol, valueSymbol } from "piscina";
import type { VariantName } from "@darkroom/contracts";
import { ImageRejectedError, type ImageRejectionCode } from "./errors";
import type { ImagingOptions } from "./options";
import { renderPhoto, type RenderedPhoto } from "./render";
import { wholeBuffer } from "./transfer";

/** What the pool sends a thread: one photo to render. */
export interface RenderTask {
  input: Uint8Array;
  options: ImagingOptions;
  /** Where the thread says which size it renders next, as {@link renderPhoto}'s `onVariant` is told. */
  progress: MessagePort;
}

/** What a thread tells while it renders: that it has begun, then each size it renders next. */
export type ThreadMessage = "started" | VariantName;

/**
 * How a render ended, as a value: a thread never throws its task's error, so
 * that a rejection from the pool always means the thread itself died.
 */
export type RenderOutcome =
  { photo: RenderedPhoto } | { rejected: { code: ImageRejectionCode; message: string } } | { failed: string };

/** What the pool gives every thread it starts. */
export interface RenderThreadData {
  /**
   * Test-only: an input holding these bytes makes the thread exhaust its
   * heap, as a runaway decode would. Unset outside tests.
   */
  crashMarker?: string;
}

const { crashMarker } = workerData as RenderThreadData;

export default async function renderInThread({ input, options, progress }: RenderTask) {
  progress.postMessage("started" satisfies ThreadMessage);
  const image = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (crashMarker && image.includes(crashMarker)) exhaustHeap();
  let outcome: RenderOutcome;
  try {
    outcome = {
      photo: await renderPhoto(image, options, (name) => progress.postMessage(name satisfies ThreadMessage)),
    };
  } catch (error) {
    outcome =
      error instanceof ImageRejectedError
        ? { rejected: { code: error.code, message: error.message } }
        : { failed: error instanceof Error ? error.message : String(error) };
  }
  return move(transferable(outcome));
}

/** The outcome, with the variants' bytes moved to the calling thread rather than copied. */
function transferable(outcome: RenderOutcome) {
  const variants = "photo" in outcome ? outcome.photo.variants : [];
  // A size stored once for two names holds the same buffer twice: it moves once.
  const buffers = new Set(variants.map(({ data }) => wholeBuffer(data)));
  buffers.delete(undefined);
  return { [transferableSymbol]: [...buffers], [valueSymbol]: outcome };
}

function exhaustHeap(): never {
  const held: number[][] = [];
  for (;;) held.push(new Array<number>(1_000_000).fill(held.length + 0.5));
}
