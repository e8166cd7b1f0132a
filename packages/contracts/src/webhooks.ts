import { z } from "zod";
import { errorDetailSchema } from "./errors";
import { uploadIdSchema, uploadModeSchema } from "./uploads";

/** What a webhook tells: an upload ended, done or failed for good. */
export const webhookEventTypeSchema = z.enum(["upload.completed", "upload.failed"]);
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

/**
 * The body of a webhook, in the Standard Webhooks shape (`type`, `timestamp`,
 * `data`). The same body goes out on every retry; the `webhook-id` header,
 * the same on every retry too, is what a receiver deduplicates on.
 */
export const webhookPayloadSchema = z.object({
  type: webhookEventTypeSchema,
  /** When the upload ended. */
  timestamp: z.iso.datetime(),
  data: z.object({
    id: uploadIdSchema,
    status: z.enum(["completed", "failed"]),
    mode: uploadModeSchema,
    filename: z.string(),
    /** Where its owner reads the whole upload, variants included. */
    statusUrl: z.string(),
    /** Why it failed, for `upload.failed`. */
    error: errorDetailSchema.optional(),
  }),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** `POST /api/webhook-secret`: the new secret, shown this once. */
export const webhookSecretSchema = z.object({
  /** `whsec_` and the key in base64, as Standard Webhooks libraries take it. */
  secret: z.string().startsWith("whsec_"),
  createdAt: z.iso.datetime(),
  /** After a rotation: deliveries carry a signature with the secret before too until then. */
  previousValidUntil: z.iso.datetime().optional(),
});
export type WebhookSecret = z.infer<typeof webhookSecretSchema>;

/** `GET /api/webhook-secret`: whether the caller has one, never the secret itself. */
export const webhookSecretInfoSchema = webhookSecretSchema.omit({ secret: true });
export type WebhookSecretInfo = z.infer<typeof webhookSecretInfoSchema>;
