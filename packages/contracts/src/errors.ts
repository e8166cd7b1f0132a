import { z } from "zod";

/**
 * Every error the API or a job can report, with the HTTP status it maps to.
 * Codes are part of the public contract: clients branch on them, so never
 * rename one.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, message: "The request is not valid." },
  MISSING_FILE: { status: 400, message: "Send the photo as multipart/form-data in the field `file`." },
  EMPTY_FILE: { status: 400, message: "The file is empty." },
  TOO_MANY_FILES: { status: 400, message: "Send one file per request." },
  NOT_FOUND: { status: 404, message: "No upload has this id." },
  BENCH_RUNS_DISABLED: { status: 403, message: "Starting benchmark runs is switched off on this server." },
  BENCH_RUN_IN_PROGRESS: { status: 409, message: "A benchmark run is already going on: wait for it to end." },
  FILE_TOO_LARGE: { status: 413, message: "The file is larger than the upload limit." },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: "The file is not a supported image (JPEG, PNG, WebP, AVIF, GIF or TIFF).",
  },
  IMAGE_CORRUPT: { status: 422, message: "The image is corrupt or truncated." },
  IMAGE_TOO_MANY_PIXELS: { status: 422, message: "The image has more pixels than the limit." },
  PROCESSING_FAILED: { status: 500, message: "The photo could not be processed." },
  INTERNAL: { status: 500, message: "Something went wrong on our side." },
  NOT_READY: { status: 503, message: "A dependency of the API is not reachable." },
  QUEUE_UNAVAILABLE: { status: 503, message: "The job queue is unavailable. Try again shortly." },
  STORAGE_UNAVAILABLE: { status: 503, message: "Object storage is unavailable. Try again shortly." },
} as const satisfies Record<string, { status: number; message: string }>;

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
