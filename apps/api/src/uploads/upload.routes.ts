import { pipeline } from "node:stream/promises";
import {
  FORMAT_EXTENSIONS,
  FORMAT_MIME_TYPES,
  uploadIdSchema,
  variantFormatSchema,
  variantNameSchema,
  type AcceptedUpload,
} from "@darkroom/contracts";
import { PROCESS_PHOTO, type PhotoQueue, type ProcessPhotoJob, type Redis } from "@darkroom/queue";
import { ObjectNotFoundError, objectKeys, type ObjectStorage } from "@darkroom/storage";
import { Router } from "express";
import type { UploadOptions } from "../env";
import { AppError } from "../http/app-error";
import { receiveUpload } from "./receive-upload";
import type { ReadSnapshot } from "./upload-snapshot";

export interface UploadRoutesDeps {
  storage: ObjectStorage;
  queue: PhotoQueue;
  redis: Redis;
  readSnapshot: ReadSnapshot;
  uploads: UploadOptions;
}

const EXTENSION_FORMATS = Object.fromEntries(
  Object.entries(FORMAT_EXTENSIONS).map(([format, extension]) => [
    extension,
    variantFormatSchema.parse(format),
  ]),
);

export function uploadRoutes({ storage, queue, redis, readSnapshot, uploads }: UploadRoutesDeps): Router {
  const router = Router();

  router.post("/api/uploads", async (req, res) => {
    // Checked before reading the body, so a Redis outage costs no S3 traffic.
    if (redis.status !== "ready") throw new AppError("QUEUE_UNAVAILABLE");
    const upload = await receiveUpload(req, storage, uploads);
    const job: ProcessPhotoJob = { ...upload, uploadedAt: new Date().toISOString() };
    try {
      await queue.add(PROCESS_PHOTO, job, { jobId: upload.id });
    } catch (error) {
      // Without a job nobody would ever process the original: take it back.
      await storage.deleteMany([upload.originalKey]).catch(() => undefined);
      throw new AppError("QUEUE_UNAVAILABLE", undefined, { cause: error });
    }
    req.log.info(
      { uploadId: upload.id, bytes: upload.bytes, contentType: upload.contentType },
      "upload queued",
    );
    const statusUrl = `/api/uploads/${upload.id}`;
    const body: AcceptedUpload = { id: upload.id, status: "queued", statusUrl };
    res.status(202).location(statusUrl).json(body);
  });

  router.get("/api/uploads/:id", async (req, res) => {
    const snapshot = await readSnapshot(parseId(req.params.id));
    if (!snapshot) throw new AppError("NOT_FOUND");
    res.set("Cache-Control", "no-store").json(snapshot);
  });

  router.get("/api/uploads/:id/variants/:file", async (req, res) => {
    const id = parseId(req.params.id);
    const [, name, extension] = /^([a-z]+)\.([a-z]+)$/.exec(req.params.file) ?? [];
    const variantName = variantNameSchema.safeParse(name);
    const format = extension === undefined ? undefined : EXTENSION_FORMATS[extension];
    if (!variantName.success || !format)
      throw new AppError("NOT_FOUND", `No variant named ${req.params.file}.`);

    try {
      const object = await storage.get(objectKeys.variant(id, variantName.data, format));
      res.set({
        "Content-Type": FORMAT_MIME_TYPES[format],
        // A variant never changes once written.
        "Cache-Control": "public, max-age=31536000, immutable",
        ...(object.bytes !== undefined && { "Content-Length": String(object.bytes) }),
        ...(object.etag && { ETag: object.etag }),
      });
      await pipeline(object.body, res);
    } catch (error) {
      if (error instanceof ObjectNotFoundError)
        throw new AppError("NOT_FOUND", "This variant does not exist (yet).");
      throw error;
    }
  });

  return router;
}

function parseId(raw: string): string {
  const id = uploadIdSchema.safeParse(raw);
  if (!id.success) throw new AppError("NOT_FOUND", `"${raw}" is not an upload id.`);
  return id.data;
}
