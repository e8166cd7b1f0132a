import { randomUUID } from "node:crypto";
import { once } from "node:events";
import {
  declaredFilenameSchema,
  ERROR_CATALOGUE,
  uploadIdSchema,
  type ErrorBody,
  type ErrorCode,
} from "@darkroom/contracts";
import {
  createResumableStore,
  forgetResumableUpload,
  resumableUploadKey,
  type ObjectStorage,
  type ResumableUploadState,
  type S3Config,
} from "@darkroom/storage";
import { ERRORS, Server, type Upload } from "@tus/server";
import { Router, type Request, type RequestHandler } from "express";
import type { Redis } from "ioredis";
import { Counter, type Registry } from "prom-client";
import { z } from "zod";
import type { UploadOptions } from "../../env";
import { AppError } from "../../http/app-error";
import { ownerOf } from "../../identity/owner";
import type { AcceptStoredOriginal } from "../accept-stored-original";
import { sanitizeFilename, tooLarge, type UploadReceiver } from "../receive-upload";
import type { ReadUpload } from "../upload-snapshot";
import { redisKvStore } from "./redis-kv-store";
import { redisLocker } from "./redis-locker";

export const RESUMABLE_PATH = "/api/uploads/tus";

export interface ResumableUploadDeps {
  s3: S3Config;
  storage: ObjectStorage;
  redis: Redis;
  /** A connection of its own, on which upload locks hear requests to let go. */
  lockSubscriber: Redis;
  uploads: UploadOptions;
  redisKeyPrefix: string;
  readUpload: ReadUpload;
  accept: AcceptStoredOriginal;
  metrics: Registry;
}

export interface ResumableAdmission {
  /** Checks made before an upload is created, as before any body is read. */
  admit: RequestHandler[];
  refuseWhileDraining: RequestHandler;
  /** Guards a body that comes through the API: `PATCH`es. */
  guardBody: RequestHandler[];
  /** Reads a `PATCH` in a turn of the slots queued uploads are received in, so that a burst waits unread. */
  inTurn: UploadReceiver["inTurn"];
}

/** How long a lock outlives an instance that died holding it: a resuming client waits about this long. */
const LOCK_TTL_MS = 5_000;
/** S3 parts in flight at once from this instance; each is spooled to disk first, 8 MiB at most. */
const MAX_PARTS_IN_FLIGHT = 16;

const errorJson = (code: ErrorCode, message: string) =>
  JSON.stringify({ error: { code, message } } satisfies ErrorBody);

/** An error in the form tus answers with: thrown from its hooks, tus sends this status and body. */
class TusAnswer extends Error {
  readonly status_code: number;
  readonly body: string;

  constructor(error: AppError) {
    super(error.message);
    this.status_code = error.status;
    this.body = errorJson(error.code, error.message);
  }
}

/**
 * Resumable uploads, tus 1.0 (creation, expiration, termination). The API
 * streams each PATCH into an S3 multipart upload part by part, so neither its
 * memory nor its disk ever holds a whole file, and an upload cut midway
 * resumes from the last byte stored, on any API instance: their state and
 * locks are in Redis. When the last byte is in, the original is checked and
 * enqueued as a direct upload's is on complete.
 */
export function resumableUploadRoutes(
  {
    s3,
    storage,
    redis,
    lockSubscriber,
    uploads,
    redisKeyPrefix,
    readUpload,
    accept,
    metrics,
  }: ResumableUploadDeps,
  { admit, refuseWhileDraining, guardBody, inTurn }: ResumableAdmission,
): Router {
  const expiresInMs = uploads.resumableExpiryS * 1000;
  const keyPrefix = `${redisKeyPrefix}:tus:`;
  const originals = resumableUploadKey(s3, "");
  /** tus names an upload by its original's key; clients, by the upload id at its end. */
  const idOf = (key: string) => key.slice(originals.length);
  const bytesReceived = new Counter({
    name: "darkroom_resumable_bytes_received_total",
    help: "Bytes of resumable uploads read by this instance: bytes a client sends again after a cut count again.",
    registers: [metrics],
  });
  const store = createResumableStore(s3, {
    cache: redisKvStore<ResumableUploadState>(redis, `${keyPrefix}state:`, expiresInMs),
    expiresInMs,
    maxPartsInFlight: MAX_PARTS_IN_FLIGHT,
    onBytesReceived: (bytes) => bytesReceived.inc(bytes),
  });

  /** Checks and enqueues a finished upload; a refused one is forgotten, so that no client resumes it. */
  async function finish(req: Request, upload: Upload) {
    const id = idOf(upload.id);
    const filename = upload.metadata?.filename ?? "photo";
    try {
      return await accept(req, {
        id,
        mode: "resumable",
        filename,
        declaredBytes: upload.size ?? 0,
        notifyUrl: upload.metadata?.notifyUrl ?? undefined,
      });
    } catch (error) {
      if (error instanceof AppError && error.status < 500) await forgetResumableUpload(storage, id);
      throw error;
    }
  }

  const tus = new Server({
    path: RESUMABLE_PATH,
    datastore: store,
    locker: redisLocker({
      redis,
      subscriber: lockSubscriber,
      prefix: keyPrefix,
      ttlMs: LOCK_TTL_MS,
      acquireTimeoutMs: 3 * LOCK_TTL_MS,
    }),
    maxSize: uploads.maxBytes,
    disableTerminationForFinishedUploads: true,
    namingFunction: () => resumableUploadKey(s3, randomUUID()),
    generateUrl: (_req, { path, id }) => `${path}/${idOf(id)}`,
    getFileIdFromRequest(_req, lastPath) {
      const id = uploadIdSchema.safeParse(lastPath);
      return id.success ? resumableUploadKey(s3, id.data) : undefined;
    },
    onUploadCreate(req, upload) {
      if (upload.sizeIsDeferred)
        throw new TusAnswer(
          new AppError("VALIDATION_FAILED", "Send Upload-Length: the size must be known at creation."),
        );
      if (upload.size === 0) throw new TusAnswer(new AppError("EMPTY_FILE"));
      // Uppy names the file `name`, tus-js-client's examples `filename`.
      const declared = declaredFilenameSchema.safeParse(
        upload.metadata?.filename ?? upload.metadata?.name ?? "photo",
      );
      if (!declared.success)
        throw new TusAnswer(new AppError("VALIDATION_FAILED", z.prettifyError(declared.error)));
      const filename = sanitizeFilename(declared.data);
      // What the client declared is replaced: the owner is never the client's to say, and a
      // webhook's destination comes from Upload-Notify-Url, checked before the upload was created.
      const request = expressRequestOf(req);
      const { notifyUrl } = request;
      return Promise.resolve({
        metadata: { filename, owner: ownerOf(request).id, ...(notifyUrl && { notifyUrl }) },
      });
    },
    async onUploadFinish(req, upload) {
      try {
        await finish(expressRequestOf(req), upload);
        return {};
      } catch (error) {
        if (error instanceof AppError) throw new TusAnswer(error);
        throw error;
      }
    },
    onResponseError: (_req, error) => tusErrorAsJson(error, uploads),
  });

  /**
   * Only the owner may resume, ask about or cancel an upload; to anyone else
   * it does not exist. The upload found is kept for the route in `res.locals`.
   */
  const ownUpload: RequestHandler = async (req, res, next) => {
    const id = uploadIdSchema.safeParse(req.params.id);
    const upload = id.success
      ? await store.getUpload(resumableUploadKey(s3, id.data)).catch(() => undefined)
      : undefined;
    if (upload && upload.metadata?.owner !== ownerOf(req).id) throw new AppError("NOT_FOUND");
    res.locals.upload = upload;
    next();
  };

  const router = Router();
  const handle: RequestHandler = (req, res) => tus.handle(req, res);
  router.post(RESUMABLE_PATH, ...admit, handle);
  // The turn ends with the response: tus's handle() never settles once the client has gone, as it
  // waits for Node to confirm the end of a response whose connection is closed, which Node never does.
  router.patch(`${RESUMABLE_PATH}/:id`, refuseWhileDraining, ...guardBody, ownUpload, (req, res) =>
    inTurn(req, () => Promise.race([tus.handle(req, res), once(res, "close")])),
  );
  // A client resuming asks first where the upload stands. One whose last answer was lost may
  // have sent every byte while the upload was never enqueued: finish it now, as its PATCH would have.
  router.head(
    `${RESUMABLE_PATH}/:id`,
    ownUpload,
    async (req, res, next) => {
      const upload = res.locals.upload as Upload | undefined;
      if (upload && upload.offset === upload.size && !(await readUpload(idOf(upload.id))))
        await finish(req, upload);
      next();
    },
    handle,
  );
  // Unfinished uploads only: a finished one is an upload like any other, deleted as any other.
  router.delete(`${RESUMABLE_PATH}/:id`, ownUpload, handle);
  router.options([RESUMABLE_PATH, `${RESUMABLE_PATH}/:id`], handle);
  // No GET: tus would serve the upload's bytes back, and originals are never served.
  return router;
}

/** The Express request under tus's web request: the gallery, the logs and the request id hang on it. */
function expressRequestOf(req: { runtime?: { node?: { req: unknown } } }): Request {
  const node = req.runtime?.node?.req;
  if (!node) throw new Error("tus runs on Node's HTTP server here");
  return node as Request;
}

/**
 * tus's own errors, in the API's error shape with a stable code, keeping the
 * status tus 1.0 gives (clients go by it). Errors our hooks threw are already so.
 */
function tusErrorAsJson(
  error: Error | { status_code: number; body: string },
  uploads: Pick<UploadOptions, "maxBytes">,
): { status_code: number; body: string } | undefined {
  if (!("status_code" in error)) return undefined;
  if (error.body.startsWith("{")) return error;
  const known: [typeof error, AppError][] = [
    [ERRORS.ERR_MAX_SIZE_EXCEEDED, tooLarge(uploads)],
    [ERRORS.ERR_SIZE_EXCEEDED, new AppError("SIZE_MISMATCH", "The upload is longer than its Upload-Length.")],
    [ERRORS.FILE_NOT_FOUND, new AppError("NOT_FOUND", "No resumable upload has this id.")],
    [ERRORS.FILE_NO_LONGER_EXISTS, new AppError("UPLOAD_EXPIRED")],
    [ERRORS.ERR_LOCK_TIMEOUT, new AppError("UPLOAD_BUSY")],
  ];
  const mapped = known.find(([tusError]) => tusError.body === error.body)?.[1];
  if (mapped) return new TusAnswer(mapped);
  const code: ErrorCode = error.status_code >= 500 ? "INTERNAL" : "VALIDATION_FAILED";
  return {
    status_code: error.status_code,
    body: errorJson(code, error.body.trim() || ERROR_CATALOGUE[code].message),
  };
}
