import { z } from "zod";
import { errorDetailSchema } from "./errors";
import { variantFormatSchema, variantNameSchema } from "./variants";

export const uploadIdSchema = z.uuid();

export const uploadModeSchema = z.enum(["queued", "sync"]);
export type UploadMode = z.infer<typeof uploadModeSchema>;

export const uploadStatusSchema = z.enum(["queued", "active", "completed", "failed"]);
export type UploadStatus = z.infer<typeof uploadStatusSchema>;

/** Where a job is in its work. The order is the order they happen in. */
export const processingStageSchema = z.enum([
  "queued",
  "downloading",
  "decoding",
  "resizing",
  "storing",
  "completed",
  "failed",
]);
export type ProcessingStage = z.infer<typeof processingStageSchema>;

/** What a worker reports while it runs a job. */
export const jobProgressSchema = z.object({
  stage: processingStageSchema,
  /** 0 to 100. */
  percent: z.number().min(0).max(100),
  /** The variant being rendered, during the `resizing` stage. */
  variant: variantNameSchema.optional(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

export const variantSchema = z.object({
  name: variantNameSchema,
  format: variantFormatSchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
  /** Loads the image; relative to the API's origin. */
  url: z.string(),
});
export type Variant = z.infer<typeof variantSchema>;

/** `GET /api/uploads/:id`, and the payload of every socket event for an upload. */
export const uploadSnapshotSchema = z.object({
  id: uploadIdSchema,
  mode: uploadModeSchema,
  status: uploadStatusSchema,
  stage: processingStageSchema,
  /** 0 to 100. */
  progress: z.number().min(0).max(100),
  /** The variant being rendered, during the `resizing` stage. */
  variant: variantNameSchema.optional(),
  variants: z.array(variantSchema),
  error: errorDetailSchema.optional(),
});
export type UploadSnapshot = z.infer<typeof uploadSnapshotSchema>;

/** `202` answer of `POST /api/uploads`. */
export const acceptedUploadSchema = z.object({
  id: uploadIdSchema,
  status: z.literal("queued"),
  statusUrl: z.string(),
});
export type AcceptedUpload = z.infer<typeof acceptedUploadSchema>;

/** An upload whose original is stored: everything processing needs, and nothing large. */
export const storedOriginalSchema = z.object({
  id: uploadIdSchema,
  originalKey: z.string(),
  contentType: z.string(),
  bytes: z.number().int().positive(),
  filename: z.string(),
  uploadedAt: z.iso.datetime(),
});
export type StoredOriginal = z.infer<typeof storedOriginalSchema>;
