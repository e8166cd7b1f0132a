import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import { Piscina } from "piscina";
// sharp's docs (install, "Worker threads"): on glibc the main thread must load
// sharp before any thread does, or a thread that exits unloads its shared
// libraries from under the others. The pool's threads exit when idle or crashed.
import "sharp";
import type { VariantName } from "@darkroom/contracts";
import { z } from "zod";
import { ImageRejectedError } from "./errors";
import type { ImagingOptions } from "./options";
import type { RenderedPhoto } from "./render";
import type { RenderOutcome, RenderTask, RenderThreadData, ThreadMessage } from "./render-thread";
import { wholeBuffer } from "./transfer";

/** `renderPhoto`, wherever it runs. */
export type RenderPhoto = (
  input: Buffer,
  options: ImagingOptions,
  onVariant?: (name: VariantName) => void | Promise<void>,
) => Promise<RenderedPhoto>;

export interface RenderPoolOptions {
  /** Photos rendered at once, each on a thread of its own. */
  threads: number;
  /**
   * The JavaScript heap a thread may use, in MB (V8's old generation). A
   * thread that needs more is stopped, and its photo fails with
   * `IMAGE_DECODER_CRASHED`. It bounds what JavaScript allocates: parsing a
   * hostile file's boxes or tags, say. Pixels live outside it, in libvips'
   * memory (bounded by `maxInputPixels`) and in libheif's WebAssembly memory
   * (bounded by the pixel limit, checked from the header, and by its own 2 GB
   * ceiling).
   * @defaultValue 128
   */
  maxHeapMb: number;
  /** Test-only: see {@link RenderThreadData.crashMarker}. */
  crashMarker?: string;
  /** Told of a thread's failure that no render was waiting for, and of a close that timed out. */
  onError?: (error: Error) => void;
}

export interface RenderPool {
  /**
   * `renderPhoto` on one of the pool's threads: a crash or a runaway
   * allocation there fails this photo alone, with `IMAGE_DECODER_CRASHED`,
   * and the thread is replaced. The main thread's event loop stays free.
   * `input` is moved to the thread when it is a whole buffer: do not use it
   * after the call.
   *
   * @throws ImageRejectedError when the input cannot be decoded, is too large, or crashed its thread.
   */
  render: RenderPhoto;
  /** Lets the renders in progress finish, then stops the threads. */
  close(): Promise<void>;
}

/** A thread idle this long exits, and gives back its memory. */
const IDLE_THREAD_MS = 60_000;

// From source (dev, tests) the thread runs the TypeScript module through the
// loader its parent was started with (tsx); bundled, the apps build it next to
// their entry (tsdown.apps.ts).
const THREAD_MODULE = new URL(
  import.meta.url.endsWith(".ts") ? "./render-thread.ts" : "./render-thread.mjs",
  import.meta.url,
).href;

export function createRenderPool({
  threads,
  maxHeapMb,
  crashMarker,
  onError,
}: RenderPoolOptions): RenderPool {
  const pool = new Piscina<RenderTask, RenderOutcome>({
    filename: THREAD_MODULE,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: IDLE_THREAD_MS,
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
    workerData: { crashMarker } satisfies RenderThreadData,
  });
  pool.on("error", (error: Error) => onError?.(error));
  let closing = false;
  // piscina's own close() waits only for tasks a thread has taken, not those still queued.
  const inProgress = new Set<Promise<RenderedPhoto>>();

  const renderOnThread: RenderPhoto = async (input, options, onVariant) => {
    const { port1: fromThread, port2: threadSide } = new MessageChannel();
    let started = false;
    let reporting: Promise<unknown> = Promise.resolve();
    const receive = (message: ThreadMessage) => {
      if (message === "started") started = true;
      else reporting = reporting.then(() => onVariant?.(message));
      // Awaited below; a render that failed meanwhile has its own error to tell.
      reporting.catch(() => undefined);
    };
    fromThread.on("message", receive);
    // What the thread said just before it answered, or died, may not have been delivered yet.
    const drain = () => {
      for (let left; (left = receiveMessageOnPort(fromThread));) receive(left.message as ThreadMessage);
    };
    const moved = wholeBuffer(input);
    const ended = await pool
      .run(
        { input, options, progress: threadSide },
        { transferList: moved ? [threadSide, moved] : [threadSide] },
      )
      .then(
        (outcome) => ({ outcome }),
        (error: unknown) => ({ error }),
      );
    drain();
    fromThread.close();
    if ("error" in ended) {
      // A thread that never began this photo failed for reasons of its own: it could not start, say.
      if (!started) throw new Error("The render thread failed.", { cause: ended.error });
      throw crashed(ended.error, maxHeapMb);
    }
    const { outcome } = ended;
    await reporting;
    if ("rejected" in outcome) throw new ImageRejectedError(outcome.rejected.code, outcome.rejected.message);
    if ("failed" in outcome) throw new Error(outcome.failed);
    const { variants, thumbhash } = outcome.photo;
    // Structured cloning hands back Uint8Arrays: the same memory, as Buffers again.
    return {
      thumbhash,
      variants: variants.map((variant) => ({
        ...variant,
        data: Buffer.from(variant.data.buffer, variant.data.byteOffset, variant.data.byteLength),
      })),
    };
  };

  return {
    render(...args) {
      if (closing) return Promise.reject(new Error("The render pool is closed."));
      const rendering = renderOnThread(...args);
      inProgress.add(rendering);
      const forget = () => inProgress.delete(rendering);
      rendering.then(forget, forget);
      return rendering;
    },
    async close() {
      closing = true;
      await Promise.allSettled(inProgress);
      await pool.close();
    },
  };
}

function crashed(error: unknown, maxHeapMb: number): ImageRejectedError {
  const reason =
    (error as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY"
      ? `it needed more than its ${maxHeapMb} MB of memory`
      : error instanceof Error
        ? error.message
        : String(error);
  return new ImageRejectedError(
    "IMAGE_DECODER_CRASHED",
    `Decoding this image crashed the decoder: ${reason}.`,
  );
}

/** The pool's settings an app reads from its environment. Compose it into the app's `env.ts`. */
export const renderPoolEnvSchema = z.object({
  /** @defaultValue 128 */
  IMAGING_THREAD_MAX_HEAP_MB: z.coerce.number().int().min(16).default(128),
  /** Test-only: see {@link RenderThreadData.crashMarker}. Refused in production. */
  IMAGING_TEST_CRASH_MARKER: z.string().min(8).optional(),
});

/**
 * @param threads the app's own measure of how many photos it renders at once.
 * @throws Error when production is given the test-only crash marker.
 */
export function renderPoolOptionsFromEnv(
  env: z.infer<typeof renderPoolEnvSchema> & { NODE_ENV: string },
  threads: number,
): Omit<RenderPoolOptions, "onError"> {
  if (env.NODE_ENV === "production" && env.IMAGING_TEST_CRASH_MARKER !== undefined)
    throw new Error(
      "IMAGING_TEST_CRASH_MARKER makes decodes crash on purpose, for tests: unset it in production.",
    );
  return {
    threads,
    maxHeapMb: env.IMAGING_THREAD_MAX_HEAP_MB,
    ...(env.IMAGING_TEST_CRASH_MARKER !== undefined && { crashMarker: env.IMAGING_TEST_CRASH_MARKER }),
  };
}
