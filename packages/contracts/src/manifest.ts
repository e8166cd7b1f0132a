import { z } from "zod";
import { errorDetailSchema } from "./errors";
import { thumbhashSchema, uploadIdSchema, uploadModeSchema, variantSchema } from "./uploads";

export const storedVariantSchema = variantSchema.omit({ url: true }).extend({
  key: z.string(),
});
export type StoredVariant = z.infer<typeof storedVariantSchema>;

/**
 * The lasting record of a finished upload, stored as `manifests/{id}.json`.
 * Status is read from it once BullMQ has removed the job, so it holds
 * everything a snapshot needs.
 */
export const uploadManifestSchema = z.object({
  id: uploadIdSchema,
  mode: uploadModeSchema,
  /** As the upload's `owner`: absent on uploads made before owners existed. */
  owner: z.string().optional(),
  status: z.enum(["completed", "failed"]),
  original: z.object({
    key: z.string(),
    filename: z.string(),
    contentType: z.string(),
    bytes: z.number().int().nonnegative(),
    receiveMs: z.number().int().nonnegative().optional(),
  }),
  variants: z.array(storedVariantSchema),
  /** A completed upload's placeholder; manifests written before placeholders existed lack it. */
  thumbhash: thumbhashSchema.optional(),
  error: errorDetailSchema.optional(),
  uploadedAt: z.iso.datetime(),
  /** When the last try of processing began; manifests written before it was recorded lack it. */
  startedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime(),
});
export type UploadManifest = z.infer<typeof uploadManifestSchema>;
