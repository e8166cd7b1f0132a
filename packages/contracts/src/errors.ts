import { z } from "zod";

/**
 * Every error the API or a job can report, with the HTTP status it maps to,
 * and for passing conditions the `Retry-After` the API sends with it.
 * Codes are part of the public contract: clients branch on them, so never
 * rename one.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, message: "The request is not valid." },
  MISSING_FILE: { status: 400, message: "Send the photo as multipart/form-data in the field `file`." },
  EMPTY_FILE: { status: 400, message: "The file is empty." },
  TOO_MANY_FILES: { status: 400, message: "Send one file per request." },
  UNAUTHENTICATED: {
    status: 401,
    message: "The API token is unknown, expired or revoked: take a new one from POST /api/sessions.",
  },
  ADMIN_REQUIRED: { status: 401, message: "This needs the admin's credentials." },
  SIGN_IN_FAILED: {
    status: 400,
    message: "The sign-in did not complete (it expired, was refused or was not started here): sign in again.",
  },
  INVALID_CURSOR: {
    status: 400,
    message: "The cursor is not one this listing gave: list again from the first page, without a cursor.",
  },
  NOTIFY_URL_REFUSED: {
    status: 400,
    message:
      "Upload-Notify-Url is not a URL webhooks may go to: http(s), no credentials, and a public address.",
  },
  NOT_FOUND: { status: 404, message: "No upload has this id." },
  BENCH_RUN_IN_PROGRESS: { status: 409, message: "A benchmark run is already going on: wait for it to end." },
  IDEMPOTENCY_KEY_IN_USE: {
    status: 409,
    message: "A request with this Idempotency-Key is still in progress. Retry once it has been answered.",
    retryAfterS: 1,
  },
  JOB_NOT_FAILED: { status: 409, message: "Only a failed job can be retried or discarded." },
  WEBHOOK_SECRET_REQUIRED: {
    status: 409,
    message: "Create a webhook secret (POST /api/webhook-secret) before asking for webhooks.",
  },
  UPLOAD_NOT_RECEIVED: {
    status: 409,
    message: "Storage holds no file for this upload yet: send it to the signed URL, then complete.",
  },
  SIZE_MISMATCH: {
    status: 400,
    message: "The stored file's size is not the size declared when the upload was signed.",
  },
  UPLOAD_EXPIRED: {
    status: 410,
    message: "This resumable upload has expired and cannot be resumed: start it again.",
  },
  FILE_TOO_LARGE: { status: 413, message: "The file is larger than the upload limit." },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: "The file is not a supported image (JPEG, PNG, WebP, AVIF, GIF, TIFF or HEIC).",
  },
  IMAGE_CORRUPT: { status: 422, message: "The image is corrupt or truncated." },
  IMAGE_TOO_MANY_PIXELS: { status: 422, message: "The image has more pixels than the limit." },
  IMAGE_DECODER_CRASHED: {
    status: 422,
    message:
      "Decoding this image crashed the decoder, or took more memory than it may: it was not processed.",
  },
  RATE_LIMITED: { status: 429, message: "Too many uploads from this client. Slow down and retry later." },
  TOO_MANY_SUBSCRIPTIONS: {
    status: 429,
    message: "Too many subscriptions: follow fewer uploads at once, or slow down.",
    retryAfterS: 1,
  },
  TOO_MANY_CONCURRENT_UPLOADS: {
    status: 429,
    message: "This client is sending as many uploads at once as it may: send this one when another is done.",
    retryAfterS: 1,
  },
  PROCESSING_FAILED: { status: 500, message: "The photo could not be processed." },
  JOB_STALLED: {
    status: 500,
    message: "Processing this photo stopped a worker twice, so it was not tried again.",
  },
  INTERNAL: { status: 500, message: "Something went wrong on our side." },
  NOT_READY: { status: 503, message: "A dependency of the API is not reachable." },
  SIGN_IN_UNAVAILABLE: {
    status: 503,
    message: "The sign-in provider cannot be reached. Try again later.",
    retryAfterS: 30,
  },
  QUEUE_UNAVAILABLE: {
    status: 503,
    message: "The job queue is unavailable. Try again shortly.",
    retryAfterS: 5,
  },
  STORAGE_UNAVAILABLE: {
    status: 503,
    message: "Object storage is unavailable. Try again shortly.",
    retryAfterS: 5,
  },
  QUEUE_FULL: { status: 503, message: "The queue is full. Try again later.", retryAfterS: 30 },
  SYNC_SATURATED: {
    status: 503,
    message: "Inline processing is at capacity. Try again shortly, or use the queued endpoint.",
    retryAfterS: 5,
  },
  UPLOAD_BUSY: {
    status: 503,
    message: "Another request is still writing this upload. Ask where it stands (HEAD), then resume.",
    retryAfterS: 1,
  },
  SHUTTING_DOWN: {
    status: 503,
    message: "This server is shutting down. Try again: another one will answer.",
    retryAfterS: 1,
  },
} as const satisfies Record<string, { status: number; message: string; retryAfterS?: number }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const errorCodeSchema = z.enum(Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]]);

export const errorDetailSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
});
export type ErrorDetail = z.infer<typeof errorDetailSchema>;

/** The body of every 4xx/5xx answer. */
export const errorBodySchema = z.object({ error: errorDetailSchema });
export type ErrorBody = z.infer<typeof errorBodySchema>;
