import { z } from "zod";
import { errorDetailSchema } from "./errors";
import { variantFormatSchema, variantNameSchema } from "./variants";

export const uploadIdSchema = z.uuid();

/**
 * How an upload reached storage: through the API as multipart, processed in
 * the background (`queued`) or before the answer (`sync`), sent by the
 * client straight to storage with a URL the API signed (`direct`), or sent
 * through the API with tus, part by part into storage, able to resume after a
 * cut (`resumable`).
 */
export const uploadModeSchema = z.enum(["queued", "sync", "direct", "resumable"]);
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
  /** Which try of the job this is, from 1: a job tried again starts its progress over. */
  attempt: z.number().int().positive().optional(),
  /** How the upload arrived, so that a progress event alone says it. */
  mode: uploadModeSchema.optional(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

export const variantSchema = z.object({
  name: variantNameSchema,
  format: variantFormatSchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
  /**
   * Loads the image, straight from object storage: a URL presigned for the
   * owner, good for at least half of the API's `VARIANT_URL_EXPIRY_S` from
   * when it was handed out. A later read of the upload gives a fresh one.
   */
  url: z.url(),
});
export type Variant = z.infer<typeof variantSchema>;

/**
 * A completed photo as a [ThumbHash](https://evanw.github.io/thumbhash/), in
 * base64: about 25 bytes that the `thumbhash` package decodes to a small
 * blurred image of the photo's colours and shape, to show until a variant
 * has loaded.
 */
export const thumbhashSchema = z.base64().max(64);

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
  /** Once completed; uploads completed before placeholders existed have none. */
  thumbhash: thumbhashSchema.optional(),
  error: errorDetailSchema.optional(),
  /** Which try of the job this is, from 1, while it runs: its progress starts over on each. */
  attempt: z.number().int().positive().optional(),
  /** While it waits: how many jobs go before it, plus one. 1 is next. */
  queuePosition: z.number().int().positive().optional(),
  /**
   * While it waits or runs: about how long until it is done, ms, from the
   * workers' recent pace and the jobs ahead of it. Absent when that cannot be
   * known: before any job has completed, or while no worker takes jobs.
   * Progress events leave it out.
   */
  etaMs: z.number().int().nonnegative().optional(),
  /** The file as it was uploaded. Progress events leave it out; every other snapshot has it. */
  original: z.object({ filename: z.string(), bytes: z.number().int().nonnegative() }).optional(),
  /** When each step happened, as far as it has. Progress events leave it out too. */
  timings: z
    .object({
      /** How long the API took to receive and store the file. */
      receiveMs: z.number().int().nonnegative().optional(),
      /** When the original was stored. */
      uploadedAt: z.iso.datetime(),
      /** When processing began (its last try, after retries). */
      startedAt: z.iso.datetime().optional(),
      finishedAt: z.iso.datetime().optional(),
    })
    .optional(),
});
export type UploadSnapshot = z.infer<typeof uploadSnapshotSchema>;

/**
 * `GET /api/uploads?limit=&cursor=`: a page of the caller's uploads, newest
 * first. `cursor` is the `nextCursor` of the page before, opaque; a cursor
 * the API did not give answers `400 INVALID_CURSOR`.
 */
export const uploadListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(24),
  cursor: z.string().optional(),
});
export type UploadListQuery = z.input<typeof uploadListQuerySchema>;

/**
 * A page of the listing, each upload as its current snapshot. `nextCursor`
 * asks for the page after it, and is absent on the last: a page can hold
 * fewer than `limit` uploads (some deleted since they were listed) and still
 * have one. Uploads made after the first page go before it, never into a
 * later page, so paging through sees each upload once.
 */
export const recentUploadsSchema = z.object({
  uploads: z.array(uploadSnapshotSchema),
  nextCursor: z.string().optional(),
});
export type RecentUploads = z.infer<typeof recentUploadsSchema>;

/** `202` answer of `POST /api/uploads`. */
export const acceptedUploadSchema = z.object({
  id: uploadIdSchema,
  status: z.literal("queued"),
  statusUrl: z.string(),
});
export type AcceptedUpload = z.infer<typeof acceptedUploadSchema>;

/**
 * A file name a client declares itself, for a direct or resumable upload. As
 * a multipart body's name may not, it may not hold control characters.
 */
export const declaredFilenameSchema = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^\P{Cc}+$/u);

/** `POST /api/uploads/direct`: what the client is about to send straight to storage. */
export const directUploadRequestSchema = z.object({
  filename: declaredFilenameSchema,
  /** The exact size of the file: the signature binds it. */
  bytes: z.number().int().nonnegative(),
  /** Sent with the PUT, and bound by the signature when given; the type is still read from the bytes. */
  contentType: z
    .string()
    .regex(/^[\w.+-]+\/[\w.+-]+$/)
    .optional(),
});
export type DirectUploadRequest = z.infer<typeof directUploadRequestSchema>;

/** `201` answer of `POST /api/uploads/direct`: where and how to send the bytes, then whom to tell. */
export const directUploadSchema = z.object({
  id: uploadIdSchema,
  upload: z.object({
    method: z.literal("PUT"),
    url: z.url(),
    /** Headers the PUT must carry, as signed. */
    headers: z.record(z.string(), z.string()),
    expiresAt: z.iso.datetime(),
  }),
  /** `POST` here once the PUT has succeeded. */
  completeUrl: z.string(),
});
export type DirectUpload = z.infer<typeof directUploadSchema>;

/** An upload whose original is stored: everything processing needs, and nothing large. */
export const storedOriginalSchema = z.object({
  id: uploadIdSchema,
  originalKey: z.string(),
  contentType: z.string(),
  bytes: z.number().int().positive(),
  filename: z.string(),
  uploadedAt: z.iso.datetime(),
  /** How long the API took to receive and store it; unknown for originals the reconciler found. */
  receiveMs: z.number().int().nonnegative().optional(),
  /** Who uploaded it, and alone may see it. Uploads made before owners existed have none: nobody sees them. */
  owner: z.string().optional(),
});
export type StoredOriginal = z.infer<typeof storedOriginalSchema>;

/**
 * `POST /api/sessions`: a bearer token for an API client, acting for the
 * caller's owner (a new one when the call carries no credentials). Shown
 * once: the API keeps only its hash.
 */
export const apiSessionSchema = z.object({
  token: z.string(),
  owner: z.string(),
  expiresAt: z.iso.datetime(),
});
export type ApiSession = z.infer<typeof apiSessionSchema>;

/** Someone signed in with the deployment's OpenID Connect provider. */
export const accountSchema = z.object({
  /** As the provider names them, for display. */
  name: z.string(),
  /** The provider says they are an admin (the deployment's admin claim). */
  admin: z.boolean(),
});
export type Account = z.infer<typeof accountSchema>;

/**
 * `GET /api/sessions/current`: who the caller is; a browser without a session
 * gets one. `account` when signed in; `signInUrl` when the deployment has a
 * sign-in and the caller has not used it.
 */
export const currentSessionSchema = z.object({
  owner: z.string(),
  account: accountSchema.optional(),
  signInUrl: z.string().optional(),
});
export type CurrentSession = z.infer<typeof currentSessionSchema>;
