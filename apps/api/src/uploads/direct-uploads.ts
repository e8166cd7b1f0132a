import { randomUUID } from "node:crypto";
import { directUploadRequestSchema, type AcceptedUpload, type DirectUpload } from "@darkroom/contracts";
import { objectKeys, originalMetadata, type ObjectStorage } from "@darkroom/storage";
import express, { Router, type RequestHandler } from "express";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { UploadOptions } from "../env";
import { AppError } from "../http/app-error";
import { timed } from "../http/server-timing";
import { ownerOf } from "../identity/owner";
import { notifyUrlOf } from "../notifications/notifications";
import { assertRedisReady } from "../redis/redis-ready";
import type { AcceptStoredOriginal } from "./accept-stored-original";
import { sanitizeFilename, tooLarge } from "./receive-upload";
import { statusUrl, type ReadSnapshot } from "./upload-snapshot";

export interface DirectUploadDeps {
  storage: ObjectStorage;
  accept: AcceptStoredOriginal;
  redis: Redis;
  readSnapshot: ReadSnapshot;
  uploads: UploadOptions;
  /** Namespaces the reservations in Redis, next to the queue's keys. */
  redisKeyPrefix: string;
}

/** What the routes share with the other upload endpoints. */
export interface UploadAdmission {
  /** Checks made before anything is signed, as before any body is read. */
  admit: RequestHandler[];
  /** Redis reachable and room in the queue, checked once the request is known to be valid. */
  assertQueueHasRoom: () => Promise<void>;
  refuseWhileDraining: RequestHandler;
  parseId: (raw: string) => string;
}

/** A signed upload, kept until it is completed or its signature is long expired. */
const reservationSchema = z.object({
  filename: z.string(),
  bytes: z.number().int(),
  owner: z.string(),
  /** Checked when it was signed. */
  notifyUrl: z.string().optional(),
});
type Reservation = z.infer<typeof reservationSchema>;

/**
 * Direct uploads: the API signs a PUT to `originals/{id}`, the client sends
 * the bytes straight to storage, and on `complete` the API checks the stored
 * object as it checks a body it receives (size, then type from the first
 * bytes) before it enqueues the job. The API never carries the bytes.
 */
export function directUploadRoutes(
  { storage, accept, redis, readSnapshot, uploads, redisKeyPrefix }: DirectUploadDeps,
  { admit, assertQueueHasRoom, refuseWhileDraining, parseId }: UploadAdmission,
): Router {
  const router = Router();
  const reservationKey = (id: string) => `${redisKeyPrefix}:direct-upload:${id}`;
  const expiresInS = uploads.directExpiryS;

  router.post("/api/uploads/direct", ...admit, express.json({ limit: "16kb" }), async (req, res) => {
    const request = directUploadRequestSchema.safeParse(req.body);
    if (!request.success) throw new AppError("VALIDATION_FAILED", z.prettifyError(request.error));
    const { filename, bytes, contentType } = request.data;
    if (bytes === 0) throw new AppError("EMPTY_FILE");
    if (bytes > uploads.maxBytes) throw tooLarge(uploads);
    await timed(res, "room", assertQueueHasRoom);

    const id = randomUUID();
    const reservation: Reservation = {
      filename: sanitizeFilename(filename),
      bytes,
      owner: ownerOf(req).id,
      ...notifyUrlOf(req),
    };
    // Name and owner go into the original's metadata too, for the reconciler to find should complete never come.
    const [put] = await timed(res, "sign", () =>
      Promise.all([
        storage.signPut(objectKeys.original(id), {
          bytes,
          contentType,
          metadata: originalMetadata.of(reservation.filename, reservation.owner),
          expiresInS,
        }),
        // A client has as long again as the URL lives to complete an upload it sent in time.
        redis.set(reservationKey(id), JSON.stringify(reservation), "EX", 2 * expiresInS),
      ]),
    );
    const body: DirectUpload = {
      id,
      upload: { method: "PUT", url: put.url, headers: put.headers, expiresAt: put.expiresAt.toISOString() },
      completeUrl: `/api/uploads/${id}/complete`,
    };
    req.log.info({ uploadId: id, bytes }, "direct upload signed");
    res.status(201).location(statusUrl(id)).json(body);
  });

  router.post("/api/uploads/:id/complete", refuseWhileDraining, async (req, res) => {
    const id = parseId(String(req.params.id));
    assertRedisReady(redis);
    const owner = ownerOf(req);
    const saved = await timed(res, "reservation", () => redis.get(reservationKey(id)));
    const reservation = saved === null ? undefined : reservationSchema.parse(JSON.parse(saved));
    if (reservation?.owner !== owner.id) {
      // Completing twice is harmless: an upload already under way answers as the first time.
      const accepted: AcceptedUpload = { id, status: "queued", statusUrl: statusUrl(id) };
      if (!reservation && (await readSnapshot(id, owner)))
        return void res.status(202).location(accepted.statusUrl).json(accepted);
      throw new AppError(
        "NOT_FOUND",
        "No direct upload with this id waits to be completed: it expired, or was never signed.",
      );
    }
    const upload = {
      id,
      mode: "direct",
      filename: reservation.filename,
      declaredBytes: reservation.bytes,
      notifyUrl: reservation.notifyUrl,
    } as const;
    const queued = await accept(req, upload).catch(async (error: unknown) => {
      // A stored file refused is deleted: its reservation goes with it. After a fault, both stay for a retry.
      if (error instanceof AppError && error.status < 500) await redis.del(reservationKey(id));
      throw error;
    });
    if (!queued) throw new AppError("UPLOAD_NOT_RECEIVED");
    await redis.del(reservationKey(id)).catch(() => undefined);
    res.status(202).location(queued.statusUrl).json(queued);
  });

  return router;
}
