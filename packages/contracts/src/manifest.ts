import { z } from "zod";
import { errorDetailSchema } from "./errors";
import { uploadIdSchema, uploadModeSchema, variantSchema } from "./uploads";

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
  status: z.enum(["completed", "failed"]),
  original: z.object({
    key: z.string(),
    filename: z.string(),
    contentType: z.string(),
    bytes: z.number().int().nonnegative(),
  }),
  variants: z.array(storedVariantSchema),
  error: errorDetailSchema.optional(),
  uploadedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
});
export type UploadManifest = z.infer<typeof uploadManifestSchema>;
