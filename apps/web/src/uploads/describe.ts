import type { ProcessingStage, UploadSnapshot, VariantFormat } from "@darkroom/contracts";
import type { ApiErrorDetail } from "../api/client";

const STAGE_WORDS: Record<ProcessingStage, string> = {
  queued: "Waiting in queue",
  downloading: "Downloading original",
  decoding: "Decoding",
  resizing: "Resizing",
  storing: "Storing",
  completed: "Done",
  failed: "Failed",
};

/** Where processing is, in plain words: "Resizing medium", "Waiting in queue, 3rd in line, about 40 s". */
export function describeStage(snapshot: UploadSnapshot): string {
  const words = STAGE_WORDS[snapshot.stage];
  if (snapshot.stage === "resizing" && snapshot.variant) return `${words} ${snapshot.variant}`;
  if (snapshot.status === "queued" && snapshot.queuePosition !== undefined) {
    const place =
      snapshot.queuePosition === 1 ? "Next in queue" : `${words}, ${ordinal(snapshot.queuePosition)} in line`;
    return snapshot.etaMs === undefined ? place : `${place}, ${formatEta(snapshot.etaMs)}`;
  }
  return words;
}

/** "about 5 s", "about 40 s", "about 3 min": an estimate, so no finer than it can be. */
export function formatEta(ms: number): string {
  const seconds = Math.max(5, Math.ceil(ms / 5_000) * 5);
  return seconds < 90 ? `about ${seconds} s` : `about ${Math.round(seconds / 60)} min`;
}

const ordinalRules = new Intl.PluralRules("en", { type: "ordinal" });
const ORDINAL_SUFFIXES: Record<string, string> = { one: "st", two: "nd", few: "rd", other: "th" };

function ordinal(n: number): string {
  return `${n}${ORDINAL_SUFFIXES[ordinalRules.select(n)] ?? "th"}`;
}

const ERROR_HEADLINES: Record<ApiErrorDetail["code"], string> = {
  UNSUPPORTED_MEDIA_TYPE: "Not a supported image",
  FILE_TOO_LARGE: "Too large",
  EMPTY_FILE: "Empty file",
  MISSING_FILE: "Upload not understood",
  TOO_MANY_FILES: "Upload not understood",
  VALIDATION_FAILED: "Upload not understood",
  IMAGE_CORRUPT: "Damaged image",
  IMAGE_TOO_MANY_PIXELS: "Image too big",
  IMAGE_DECODER_CRASHED: "Could not be decoded",
  PROCESSING_FAILED: "Could not be processed",
  UNAUTHENTICATED: "Session ended",
  ADMIN_REQUIRED: "Admin only",
  SIGN_IN_FAILED: "Sign-in failed",
  SIGN_IN_UNAVAILABLE: "Sign-in unavailable",
  INVALID_CURSOR: "Gallery out of date",
  NOTIFY_URL_REFUSED: "Webhook refused",
  WEBHOOK_SECRET_REQUIRED: "No webhook secret",
  NOT_FOUND: "Upload not found",
  BENCH_RUN_IN_PROGRESS: "Busy",
  IDEMPOTENCY_KEY_IN_USE: "Already being uploaded",
  JOB_NOT_FAILED: "Nothing to retry",
  UPLOAD_NOT_RECEIVED: "Upload not received",
  SIZE_MISMATCH: "Upload not understood",
  UPLOAD_EXPIRED: "Upload expired",
  UPLOAD_BUSY: "Already being uploaded",
  RATE_LIMITED: "Too many uploads",
  TOO_MANY_CONCURRENT_UPLOADS: "Too many uploads at once",
  TOO_MANY_SUBSCRIPTIONS: "Too many uploads followed",
  JOB_STALLED: "Could not be processed",
  INTERNAL: "Server error",
  NOT_READY: "Service unavailable",
  QUEUE_UNAVAILABLE: "Service unavailable",
  STORAGE_UNAVAILABLE: "Service unavailable",
  QUEUE_FULL: "Server busy",
  SYNC_SATURATED: "Server busy",
  SHUTTING_DOWN: "Server restarting",
  NETWORK: "Upload interrupted",
  STORAGE_REFUSED: "Refused by storage",
};

/** "Not a supported image: The file is not an image; send JPEG, …" */
export function describeError(error: ApiErrorDetail): string {
  return `${ERROR_HEADLINES[error.code]}: ${error.message}`;
}

const kilobytes = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const megabytes = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export function formatKilobytes(bytes: number): string {
  return `${kilobytes.format(Math.max(1, bytes / 1024))} KB`;
}

/** "840 KB", "2.3 MB". */
export function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? formatKilobytes(bytes) : `${megabytes.format(bytes / 1024 / 1024)} MB`;
}

const seconds = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** "120 ms", "2.4 s", "3 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${seconds.format(ms / 1000)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });
const finePercent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });

/** "94% smaller" than the original, "99.7% smaller" rather than a rounded 100%; a variant can also be larger. */
export function comparedWithOriginal(bytes: number, originalBytes: number): string {
  const saved = 1 - bytes / originalBytes;
  const format = saved > 0.99 ? finePercent : percent;
  return saved >= 0 ? `${format.format(saved)} smaller` : `${format.format(-saved)} larger`;
}

export const FORMAT_NAMES: Record<VariantFormat, string> = { jpeg: "JPEG", webp: "WebP", avif: "AVIF" };
