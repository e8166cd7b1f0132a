import type { ProcessingStage, UploadSnapshot, VariantFormat } from "@darkroom/contracts";
import type { UploadError } from "../api/upload-file";

const STAGE_WORDS: Record<ProcessingStage, string> = {
  queued: "Waiting in queue",
  downloading: "Downloading original",
  decoding: "Decoding",
  resizing: "Resizing",
  storing: "Storing",
  completed: "Done",
  failed: "Failed",
};

/** Where processing is, in plain words: "Resizing medium". */
export function describeStage(snapshot: UploadSnapshot): string {
  const words = STAGE_WORDS[snapshot.stage];
  return snapshot.stage === "resizing" && snapshot.variant ? `${words} ${snapshot.variant}` : words;
}

const ERROR_HEADLINES: Record<UploadError["code"], string> = {
  UNSUPPORTED_MEDIA_TYPE: "Not a supported image",
  FILE_TOO_LARGE: "Too large",
  EMPTY_FILE: "Empty file",
  MISSING_FILE: "Upload not understood",
  TOO_MANY_FILES: "Upload not understood",
  VALIDATION_FAILED: "Upload not understood",
  IMAGE_CORRUPT: "Damaged image",
  IMAGE_TOO_MANY_PIXELS: "Image too big",
  PROCESSING_FAILED: "Could not be processed",
  NOT_FOUND: "Upload not found",
  BENCH_RUNS_DISABLED: "Not allowed",
  BENCH_RUN_IN_PROGRESS: "Busy",
  IDEMPOTENCY_KEY_IN_USE: "Already being uploaded",
  JOB_NOT_FAILED: "Nothing to retry",
  RATE_LIMITED: "Too many uploads",
  JOB_STALLED: "Could not be processed",
  INTERNAL: "Server error",
  NOT_READY: "Service unavailable",
  QUEUE_UNAVAILABLE: "Service unavailable",
  STORAGE_UNAVAILABLE: "Service unavailable",
  QUEUE_FULL: "Server busy",
  SYNC_SATURATED: "Server busy",
  SHUTTING_DOWN: "Server restarting",
  NETWORK: "Upload interrupted",
};

/** "Not a supported image: The file is not an image; send JPEG, …" */
export function describeError(error: UploadError): string {
  return `${ERROR_HEADLINES[error.code]}: ${error.message}`;
}

const kilobytes = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatKilobytes(bytes: number): string {
  return `${kilobytes.format(Math.max(1, bytes / 1024))} KB`;
}

export const FORMAT_NAMES: Record<VariantFormat, string> = { jpeg: "JPEG", webp: "WebP" };
