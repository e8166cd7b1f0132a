import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { SNIFF_BYTES, sniffImageType } from "@darkroom/imaging";
import { objectKeys, type ObjectStorage } from "@darkroom/storage";
import Busboy from "busboy";
import type { Request } from "express";
import type { UploadOptions } from "../env";
import { AppError } from "../http/app-error";
import { readHead } from "./read-head";
import { spoolToDisk } from "./spool-file";

export interface ReceivedUpload {
  id: string;
  originalKey: string;
  filename: string;
  /** Sniffed from the bytes, never taken from the client. */
  contentType: string;
  bytes: number;
}

/** Multipart framing around the file: boundaries and part headers. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/**
 * Streams the `file` field of a multipart request into S3 as the upload's
 * original. Memory stays flat whatever the file's size: bytes flow from the
 * socket to a temporary file, then from that file to S3 in one PUT.
 *
 * It rejects early, storing nothing: from Content-Length when that already
 * exceeds the limit; from the first bytes when they are not an accepted
 * image; and as soon as the stream passes the size limit.
 */
export function receiveUpload(
  req: Request,
  storage: ObjectStorage,
  options: UploadOptions,
): Promise<ReceivedUpload> {
  const declared = Number(req.headers["content-length"]);
  if (declared > options.maxBytes + FORM_OVERHEAD_BYTES) {
    return Promise.reject(tooLarge(options));
  }

  let busboy: Busboy.Busboy;
  try {
    busboy = Busboy({ headers: req.headers, limits: { files: 1, fileSize: options.maxBytes, fields: 10 } });
  } catch {
    return Promise.reject(new AppError("MISSING_FILE"));
  }

  return new Promise((resolve, reject) => {
    let file: Readable | undefined;
    let stored: Promise<ReceivedUpload> | undefined;
    let settled = false;

    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      req.unpipe(busboy);
      // Discard what is still arriving; the error answer closes the connection.
      req.resume();
      file?.destroy(error);
      // Answer only once nothing of this upload is left in storage.
      void discard(stored, storage).finally(() => reject(error));
    };

    busboy.on("file", (field, stream, info) => {
      if (field !== "file") {
        stream.resume();
        fail(
          new AppError("VALIDATION_FAILED", `Unexpected file field "${field}": send the photo in "file".`),
        );
        return;
      }
      file = stream;
      stored = storeOriginal(stream, sanitizeFilename(info.filename), storage, options);
      stored.catch((error: Error) => fail(error));
    });
    busboy.on("filesLimit", () => fail(new AppError("TOO_MANY_FILES")));
    busboy.on("error", (error: Error) =>
      fail(new AppError("VALIDATION_FAILED", `The multipart body is malformed: ${error.message}`)),
    );
    busboy.on("close", () => {
      if (!stored) return fail(new AppError("MISSING_FILE"));
      stored.then(
        (upload) => {
          if (settled) return;
          settled = true;
          resolve(upload);
        },
        (error: Error) => fail(error),
      );
    });
    req.pipe(busboy);
  });
}

/** Deletes the original if it was stored completely; a failed store cleans up after itself. */
async function discard(stored: Promise<ReceivedUpload> | undefined, storage: ObjectStorage): Promise<void> {
  const upload = await stored?.catch(() => undefined);
  if (upload) await storage.deleteMany([upload.originalKey]).catch(() => undefined);
}

async function storeOriginal(
  file: Readable & { truncated?: boolean },
  filename: string,
  storage: ObjectStorage,
  options: UploadOptions,
): Promise<ReceivedUpload> {
  const { head, body } = await readHead(file, SNIFF_BYTES);
  const contentType = await sniffImageType(head);

  async function* sizeChecked() {
    yield* body;
    // busboy ends the stream early, and marks it, once the limit is reached.
    if (file.truncated) throw tooLarge(options);
  }
  // S3 needs the length before the first byte of a single PUT, and multipart
  // uploads would hold a 5 MB part in memory per upload: spooling to disk
  // keeps memory flat however many uploads arrive at once.
  const spooled = await spoolToDisk(sizeChecked(), options.spoolDir);
  const id = randomUUID();
  const originalKey = objectKeys.original(id);
  try {
    await storage.putStream(originalKey, spooled.open(), spooled.bytes, contentType);
  } finally {
    await spooled.release();
  }
  return { id, originalKey, filename, contentType, bytes: spooled.bytes };
}

function tooLarge(options: UploadOptions): AppError {
  return new AppError(
    "FILE_TOO_LARGE",
    `The file is larger than the upload limit of ${options.maxBytes} bytes.`,
  );
}

/** Keeps a display name only: no path, no control characters, bounded length. */
export function sanitizeFilename(name: string | undefined): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const clean = [...base].filter((char) => char >= " " && char !== "\u007f").join("");
  return clean.trim().slice(0, 255) || "photo";
}
