import type { AcceptedUpload, UploadMode } from "@darkroom/contracts";
import { checkStoredOriginal, OriginalRejectedError } from "@darkroom/pipeline";
import type { PhotoQueue } from "@darkroom/queue";
import type { ObjectStorage } from "@darkroom/storage";
import type { Request } from "express";
import type { UploadOptions } from "../env";
import { AppError } from "../http/app-error";
import { requestIdOf } from "../http/request-id";
import { timed } from "../http/server-timing";
import { ownerOf } from "../identity/owner";
import { priorityClassOf } from "./priority-class";
import { statusUrl } from "./upload-snapshot";

export interface AcceptStoredDeps {
  storage: ObjectStorage;
  queue: PhotoQueue;
  uploads: Pick<UploadOptions, "maxBytes">;
  /** Adds an accepted upload to the gallery; never fails the request. */
  listed: (id: string, req: Request) => Promise<void>;
  observeSize: (mode: UploadMode, bytes: number) => void;
}

export interface StoredByClient {
  id: string;
  mode: Extract<UploadMode, "direct" | "resumable">;
  filename: string;
  declaredBytes: number;
  /** Where its webhook goes, checked when the upload was signed or created. */
  notifyUrl?: string | undefined;
}

/**
 * Accepts an original the client put in storage itself (a direct PUT, or the
 * last part of a resumable upload): checks it as a body the API receives is
 * checked, then enqueues it like any other upload, as the caller's: the route
 * has checked that the upload is theirs.
 *
 * @returns `undefined` when storage holds no original for it yet.
 * @throws AppError with the rejection's code once a bad original is deleted,
 *   or QUEUE_UNAVAILABLE, leaving a good original in place to try again.
 */
export function storedOriginalAcceptor({ storage, queue, uploads, listed, observeSize }: AcceptStoredDeps) {
  return async function accept(
    req: Request,
    { id, mode, filename, declaredBytes, notifyUrl }: StoredByClient,
  ): Promise<AcceptedUpload | undefined> {
    const original = await timed(req.res, "check", () =>
      checkStoredOriginal(storage, id, { maxBytes: uploads.maxBytes, declaredBytes }),
    ).catch((error: unknown) => {
      if (error instanceof OriginalRejectedError) throw new AppError(error.code, error.message);
      throw error;
    });
    if (!original) return undefined;
    try {
      await timed(req.res, "enqueue", () =>
        queue.enqueue(
          {
            id,
            originalKey: original.key,
            contentType: original.contentType,
            bytes: original.bytes,
            filename,
            uploadedAt: (original.lastModified ?? new Date()).toISOString(),
            mode,
            owner: ownerOf(req).id,
            requestId: requestIdOf(req),
            ...(notifyUrl && { notifyUrl }),
          },
          priorityClassOf(req),
        ),
      );
    } catch (error) {
      throw new AppError("QUEUE_UNAVAILABLE", undefined, { cause: error });
    }
    observeSize(mode, original.bytes);
    await listed(id, req);
    req.log.info(
      { uploadId: id, mode, bytes: original.bytes, contentType: original.contentType },
      "upload queued",
    );
    return { id, status: "queued", statusUrl: statusUrl(id) };
  };
}

export type AcceptStoredOriginal = ReturnType<typeof storedOriginalAcceptor>;
