import {
  uploadIdSchema,
  uploadListQuerySchema,
  type AcceptedUpload,
  type RecentUploads as RecentUploadsBody,
  type StoredOriginal,
} from "@darkroom/contracts";
import type { ImagingOptions, RenderPhoto } from "@darkroom/imaging";
import { discardUpload, PermanentFailure, processUpload } from "@darkroom/pipeline";
import type { PhotoQueue } from "@darkroom/queue";
import type { ObjectStorage, S3Config } from "@darkroom/storage";
import { Router, type Request, type RequestHandler } from "express";
import type { Redis } from "ioredis";
import { Gauge, Histogram, type Registry } from "prom-client";
import type { UploadOptions } from "../env";
import { AppError } from "../http/app-error";
import { clientRateLimit } from "../http/client-rate-limit";
import type { Lifecycle } from "../http/lifecycle";
import { requestIdOf } from "../http/request-id";
import { ownerOf } from "../identity/owner";
import { notifyUrlOf, type Notifications } from "../notifications/notifications";
import { timed } from "../http/server-timing";
import { assertRedisReady } from "../redis/redis-ready";
import { storedOriginalAcceptor } from "./accept-stored-original";
import { directUploadRoutes } from "./direct-uploads";
import { idempotency, redisAnswerStore } from "./idempotency";
import { decodeListingCursor, encodeListingCursor } from "./listing-cursor";
import type { RecentUploads } from "./recent-uploads";
import { resumableUploadRoutes } from "./resumable/resumable-uploads";
import { uploadReceiver, type ReceivedUpload } from "./receive-upload";
import { receivesPerClient } from "./receives-per-client";
import { closeStalledBodies } from "./stalled-bodies";
import { syncAdmission } from "./sync-admission";
import { ownedBy, snapshotFromManifest, statusUrl, type ReadUpload } from "./upload-snapshot";
import { variantUrls } from "./variant-urls";
import { priorityClassOf } from "./priority-class";

export interface UploadRoutesDeps {
  s3: S3Config;
  storage: ObjectStorage;
  queue: PhotoQueue;
  /** The queue's connection; its status tells at once whether Redis is reachable. */
  redis: Redis;
  /** A connection of its own, on which resumable uploads' locks hear requests to let go. */
  lockSubscriber: Redis;
  readUpload: ReadUpload;
  uploads: UploadOptions;
  /** For sync uploads, which run the pipeline inline. */
  imaging: ImagingOptions;
  /** Renders sync uploads, on the API's render pool. */
  render: RenderPhoto;
  metrics: Registry;
  /** Namespaces Darkroom's own keys in Redis: rate limits and idempotency keys. */
  redisKeyPrefix: string;
  lifecycle: Lifecycle;
  recent: RecentUploads;
  /** Webhooks an upload asks for with `Upload-Notify-Url`. */
  notifications: Notifications;
}

export function uploadRoutes({
  s3,
  storage,
  queue,
  redis,
  lockSubscriber,
  readUpload,
  uploads,
  imaging,
  render,
  metrics,
  redisKeyPrefix,
  lifecycle,
  recent,
  notifications,
}: UploadRoutesDeps): Router {
  const router = Router();
  const receiver = uploadReceiver(storage, uploads);
  new Gauge({
    name: "darkroom_upload_receives_in_flight",
    help: "Uploads being read and stored now (multipart bodies and tus PATCHes), at most UPLOAD_CONCURRENCY.",
    registers: [metrics],
    collect() {
      this.set(receiver.active);
    },
  });
  new Gauge({
    name: "darkroom_upload_receives_waiting",
    help: "Uploads waiting, unread, for a turn to be received.",
    registers: [metrics],
    collect() {
      this.set(receiver.waiting);
    },
  });

  const uploadSize = new Histogram({
    name: "darkroom_upload_size_bytes",
    help: "Size of each upload accepted and stored, by mode.",
    labelNames: ["mode"],
    buckets: [64 * 1024, 256 * 1024, 1024 ** 2, 4 * 1024 ** 2, 16 * 1024 ** 2, 64 * 1024 ** 2],
    registers: [metrics],
  });

  const rateLimit = clientRateLimit(redis, {
    what: "uploads",
    ...uploads.rateLimit,
    keyPrefix: redisKeyPrefix,
  });
  const readLimit = clientRateLimit(redis, {
    what: "reads",
    points: uploads.readsPerMinute,
    windowS: 60,
    keyPrefix: redisKeyPrefix,
  });
  const idempotent = idempotency(redisAnswerStore(redis, redisKeyPrefix));
  /** For every route whose body comes through the API: no stalled body, no client taking every slot. */
  const guardBody = [
    closeStalledBodies({ windowMs: uploads.idleTimeoutMs, minBytes: 1024 }),
    receivesPerClient(redis, { max: uploads.concurrencyPerClient, keyPrefix: redisKeyPrefix }),
  ];
  /** Checks before a body is read: the client's rate, then the webhook it asks for, if any. */
  const admitted = [rateLimit, notifications.destination];
  const sync = syncAdmission(uploads.sync);
  const variantUrl = variantUrls(storage, uploads.variantUrlExpiryS);
  /** The gallery is a convenience: an upload it misses is still processed and answers its status. */
  const listed = (id: string, req: Request) =>
    recent
      .add(ownerOf(req).id, id)
      .catch((error: unknown) => req.log.warn({ err: error, uploadId: id }, "upload not listed"));
  const readSnapshot = ownedBy(readUpload);
  const refuseWhileDraining: RequestHandler = (_req, res, next) => {
    if (!lifecycle.draining) return next();
    res.set("Connection", "close");
    throw new AppError("SHUTTING_DOWN");
  };

  /** Redis reachable and room in the queue: checked before an upload is read, signed or created. */
  const assertQueueHasRoom = async () => {
    assertRedisReady(redis);
    if ((await queue.waitingCount()) >= uploads.maxWaitingJobs) throw new AppError("QUEUE_FULL");
  };
  const queueHasRoom: RequestHandler = async (_req, _res, next) => {
    await assertQueueHasRoom();
    next();
  };
  const accept = storedOriginalAcceptor({
    storage,
    queue,
    uploads,
    listed,
    observeSize: (mode, bytes) => uploadSize.observe({ mode }, bytes),
  });

  router.use(
    directUploadRoutes(
      { storage, accept, redis, readSnapshot, uploads, redisKeyPrefix },
      { admit: [refuseWhileDraining, ...admitted], assertQueueHasRoom, refuseWhileDraining, parseId },
    ),
  );
  router.use(
    resumableUploadRoutes(
      { s3, storage, redis, lockSubscriber, uploads, redisKeyPrefix, readUpload, accept, metrics },
      {
        admit: [refuseWhileDraining, ...admitted, queueHasRoom],
        refuseWhileDraining,
        guardBody,
        inTurn: receiver.inTurn,
      },
    ),
  );

  router.post("/api/uploads", refuseWhileDraining, ...guardBody, ...admitted, async (req, res) => {
    const arrivedAt = Date.now();
    // Checked before reading the body, so a Redis outage costs no S3 traffic.
    assertRedisReady(redis);
    await idempotent(req, res, "queued", async () => {
      await timed(res, "room", assertQueueHasRoom);
      const upload = storedOriginal(await timed(res, "receive", () => receiver.receive(req)), req, arrivedAt);
      uploadSize.observe({ mode: "queued" }, upload.bytes);
      try {
        await timed(res, "enqueue", () =>
          queue.enqueue(
            { ...upload, requestId: requestIdOf(req), ...notifyUrlOf(req) },
            priorityClassOf(req),
          ),
        );
      } catch (error) {
        // Without a job nobody would ever process the original: take it back.
        await storage.deleteMany([upload.originalKey]).catch(() => undefined);
        throw new AppError("QUEUE_UNAVAILABLE", undefined, { cause: error });
      }
      await listed(upload.id, req);
      req.log.info(
        { uploadId: upload.id, bytes: upload.bytes, contentType: upload.contentType },
        "upload queued",
      );
      const body: AcceptedUpload = { id: upload.id, status: "queued", statusUrl: statusUrl(upload.id) };
      return { status: 202, location: body.statusUrl, body };
    });
  });

  /** The same upload handling, then the same pipeline as the worker, inline. */
  router.post("/api/uploads/sync", refuseWhileDraining, ...guardBody, ...admitted, async (req, res) => {
    // A client that gave up (a timeout, a closed tab) needs no variants: stop at the next stage.
    const arrivedAt = Date.now();
    const clientGone = new AbortController();
    res.once("close", () => clientGone.abort(new AppError("VALIDATION_FAILED", "The client went away.")));
    await idempotent(req, res, "sync", () =>
      sync.admit(async (processing) => {
        const upload = storedOriginal(
          await timed(res, "receive", () => receiver.receive(req)),
          req,
          arrivedAt,
        );
        uploadSize.observe({ mode: "sync" }, upload.bytes);
        let manifest;
        try {
          manifest = await timed(res, "process", () =>
            processing(() =>
              processUpload({ storage, imaging, render }, upload, "sync", { signal: clientGone.signal }),
            ),
          );
        } catch (error) {
          // The answer tells the client the outcome: keep nothing of a failed sync upload.
          await discardUpload(storage, upload.id).catch(() => undefined);
          if (error instanceof PermanentFailure) throw new AppError(error.detail.code, error.detail.message);
          throw error;
        }
        await listed(upload.id, req);
        req.log.info({ uploadId: upload.id, bytes: upload.bytes }, "upload processed inline");
        // Its answer tells the outcome; the webhook tells it too, for a client that lost the answer.
        await notifications.completedInline({ ...upload, ...notifyUrlOf(req) }, req.log);
        return {
          status: 201,
          location: statusUrl(upload.id),
          body: await snapshotFromManifest(manifest, variantUrl),
        };
      }),
    );
  });

  router.get("/api/uploads", readLimit, async (req, res) => {
    const query = uploadListQuerySchema.safeParse(req.query);
    if (!query.success) throw new AppError("VALIDATION_FAILED", "`limit` is a whole number from 1 to 100.");
    const after = query.data.cursor === undefined ? undefined : decodeListingCursor(query.data.cursor);
    if (query.data.cursor !== undefined && !after) throw new AppError("INVALID_CURSOR");
    assertRedisReady(redis);
    const owner = ownerOf(req);
    const { entries, more } = await recent.page(owner.id, query.data.limit, after);
    const snapshots = await Promise.all(entries.map((entry) => readSnapshot(entry.id, owner)));
    // Discarded since they were listed.
    await recent.remove(owner.id, ...entries.filter((_, i) => !snapshots[i]).map((entry) => entry.id));
    const last = entries.at(-1);
    const body: RecentUploadsBody = {
      uploads: snapshots.filter((snapshot) => snapshot !== undefined),
      ...(more && last && { nextCursor: encodeListingCursor(last) }),
    };
    res.set("Cache-Control", "no-store").json(body);
  });

  router.get("/api/uploads/:id", readLimit, async (req, res) => {
    const snapshot = await readSnapshot(parseId(String(req.params.id)), ownerOf(req));
    if (!snapshot) throw new AppError("NOT_FOUND");
    res.set("Cache-Control", "no-store").json(snapshot);
  });

  /**
   * The owner deletes an upload at any stage, in any mode: its job, its
   * objects, its place in the listing. A worker processing it now finishes
   * and then throws its work away; meanwhile the upload already reads as gone.
   */
  router.delete("/api/uploads/:id", async (req, res) => {
    const id = parseId(req.params.id);
    const owner = ownerOf(req);
    assertRedisReady(redis);
    if (!(await readSnapshot(id, owner))) throw new AppError("NOT_FOUND");
    await queue.delete(id);
    await discardUpload(storage, id);
    await recent.remove(owner.id, id);
    req.log.info({ uploadId: id }, "upload deleted by its owner");
    res.status(204).end();
  });

  return router;
}

function storedOriginal(received: ReceivedUpload, req: Request, arrivedAt: number): StoredOriginal {
  return {
    ...received,
    owner: ownerOf(req).id,
    uploadedAt: new Date().toISOString(),
    receiveMs: Date.now() - arrivedAt,
  };
}

function parseId(raw: string): string {
  const id = uploadIdSchema.safeParse(raw);
  if (!id.success) throw new AppError("NOT_FOUND", `"${raw}" is not an upload id.`);
  return id.data;
}
