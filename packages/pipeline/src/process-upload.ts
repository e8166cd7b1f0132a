import {
  FORMAT_MIME_TYPES,
  type ErrorDetail,
  type JobProgress,
  type StoredOriginal,
  type StoredVariant,
  type UploadManifest,
  type UploadMode,
} from "@darkroom/contracts";
import { ImageRejectedError, type ImagingOptions, type RenderPhoto } from "@darkroom/imaging";
import {
  ObjectNotFoundError,
  objectKeys,
  resumableBookkeepingKeys,
  writeManifest,
  type ObjectStorage,
} from "@darkroom/storage";

export interface PipelineDeps {
  storage: ObjectStorage;
  imaging: ImagingOptions;
  /** Renders the variants: a render pool's, so that a file that crashes its decoder costs only its own upload. */
  render: RenderPhoto;
}

export type ReportProgress = (progress: JobProgress) => void | Promise<unknown>;

/** No retry can fix this upload: the file is bad, or its original is gone. */
export class PermanentFailure extends Error {
  override readonly name = "PermanentFailure";

  constructor(readonly detail: ErrorDetail) {
    super(detail.message);
  }
}

/** Progress, in percent, at the start of each stage. Resizing spreads between its bounds. */
const STAGE_PERCENT = { downloading: 5, decoding: 15, resizing: 30, storing: 85 } as const;

/**
 * Turns a stored original into its variants and manifest: original from S3,
 * variants rendered, variants and then the manifest back to S3. The worker
 * runs it for queued uploads and the API inline for sync ones, so both modes
 * do exactly the same work. Every step writes the same keys, so running it
 * again after a crash overwrites rather than duplicates.
 *
 * @param signal stops the work between stages once aborted.
 * @throws PermanentFailure for bad input; the signal's reason once aborted; any other error is a passing fault.
 */
export async function processUpload(
  { storage, imaging, render }: PipelineDeps,
  upload: StoredOriginal,
  mode: UploadMode,
  { report = () => undefined, signal }: { report?: ReportProgress; signal?: AbortSignal } = {},
): Promise<UploadManifest> {
  const startedAt = new Date().toISOString();
  try {
    signal?.throwIfAborted();
    await report({ stage: "downloading", percent: STAGE_PERCENT.downloading });
    const original = await storage.getBuffer(upload.originalKey);

    // Checked between stages: work for a caller who has gone stops at the next one.
    signal?.throwIfAborted();
    await report({ stage: "decoding", percent: STAGE_PERCENT.decoding });
    const sizes = imaging.variants.length;
    let rendered = 0;
    const { variants: images, thumbhash } = await render(original, imaging, async (variant) => {
      const span = STAGE_PERCENT.storing - STAGE_PERCENT.resizing;
      const percent = STAGE_PERCENT.resizing + Math.round((span * rendered++) / sizes);
      await report({ stage: "resizing", variant, percent });
    });

    signal?.throwIfAborted();
    await report({ stage: "storing", percent: STAGE_PERCENT.storing });
    const variants = await Promise.all(
      images.map(async ({ data, sameAs, ...image }): Promise<StoredVariant> => {
        // A size with the same bytes as a larger one points at that one's object.
        const key = objectKeys.variant(upload.id, sameAs ?? image.name, image.format);
        if (!sameAs) await storage.put(key, data, FORMAT_MIME_TYPES[image.format]);
        return { ...image, bytes: data.byteLength, key };
      }),
    );
    const manifest = manifestFor(upload, mode, { status: "completed", variants, thumbhash }, startedAt);
    await writeManifest(storage, manifest);
    return manifest;
  } catch (error) {
    throw asPermanentFailure(error) ?? error;
  }
}

function asPermanentFailure(error: unknown): PermanentFailure | undefined {
  if (error instanceof ImageRejectedError)
    return new PermanentFailure({ code: error.code, message: error.message });
  // Only the original is ever read, and S3 reads are consistent: it is gone for good.
  if (error instanceof ObjectNotFoundError) {
    return new PermanentFailure({
      code: "PROCESSING_FAILED",
      message: "The original is no longer in storage.",
    });
  }
  return undefined;
}

/** Records that an upload failed for good, so its status answers after the job is gone. */
export function writeFailure(
  storage: ObjectStorage,
  upload: StoredOriginal,
  mode: UploadMode,
  error: ErrorDetail,
): Promise<void> {
  return writeManifest(storage, manifestFor(upload, mode, { status: "failed", error }));
}

/**
 * Deletes every object of an upload: original, variants, manifest, and a
 * resumable upload's bookkeeping. Variants are found by their prefix, so a
 * size that shares a larger one's object, or one left by an earlier attempt,
 * goes as well.
 */
export async function discardUpload(storage: ObjectStorage, id: string): Promise<void> {
  const variants = await storage.listKeys(objectKeys.variantsOf(id));
  await storage.deleteMany([
    objectKeys.original(id),
    objectKeys.manifest(id),
    ...variants,
    ...resumableBookkeepingKeys(id),
  ]);
}

function manifestFor(
  upload: StoredOriginal,
  mode: UploadMode,
  outcome:
    | { status: "completed"; variants: StoredVariant[]; thumbhash: string }
    | { status: "failed"; error: ErrorDetail },
  startedAt?: string,
): UploadManifest {
  return {
    id: upload.id,
    mode,
    ...(upload.owner !== undefined && { owner: upload.owner }),
    original: {
      key: upload.originalKey,
      filename: upload.filename,
      contentType: upload.contentType,
      bytes: upload.bytes,
      ...(upload.receiveMs !== undefined && { receiveMs: upload.receiveMs }),
    },
    variants: [],
    uploadedAt: upload.uploadedAt,
    ...(startedAt && { startedAt }),
    finishedAt: new Date().toISOString(),
    ...outcome,
  };
}
