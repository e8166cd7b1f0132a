import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { SNIFF_BYTES, sniffImageFile, sniffImageHead } from "@darkroom/imaging";
import { objectKeys, originalMetadata, type ObjectStorage } from "@darkroom/storage";
import Busboy from "busboy";
import type { Request } from "express";
import pLimit from "p-limit";
import type { UploadOptions } from "../env";
import { AppError } from "../http/app-error";
import { ownerOf } from "../identity/owner";
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

export interface UploadReceiver {
  receive(req: Request): Promise<ReceivedUpload>;
  /** Runs `read`, which reads `req`'s body some other way (a tus `PATCH`), in a turn of the same slots. */
  inTurn: <T>(req: Request, read: () => Promise<T>) => Promise<T>;
  /** Uploads being read and stored now. */
  readonly active: number;
  /** Uploads waiting, unread, for their turn. */
  readonly waiting: number;
}

/**
 * Receives at most `options.concurrency` uploads at once. The others wait
 * unread: TCP holds their bytes on the client's side, so a burst of any size
 * costs a connection each, not a buffer and a spool file each.
 */
export function uploadReceiver(storage: ObjectStorage, options: UploadOptions): UploadReceiver {
  const slots = pLimit(options.concurrency);
  const inTurn = <T>(req: Request, read: () => Promise<T>) =>
    slots(() => (req.destroyed ? Promise.reject(clientClosed()) : read()));
  return {
    receive: (req) => inTurn(req, () => receiveUpload(req, storage, options)),
    inTurn,
    get active() {
      return slots.activeCount;
    },
    get waiting() {
      return slots.pendingCount;
    },
  };
}

/**
 * Streams the `file` field of a multipart request into S3 as the upload's
 * original. Memory stays flat whatever the file's size: bytes flow from the
 * socket to a temporary file, then from that file to S3 in one PUT.
 *
 * It rejects early, storing nothing: from Content-Length when that already
 * exceeds the limit; from the first bytes when they are not an accepted
 * image; and as soon as the stream passes the size limit.
 */
function receiveUpload(
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
    busboy = Busboy({
      headers: req.headers,
      // Browsers send file names as UTF-8; busboy would read them as latin1.
      defParamCharset: "utf8",
      // One file; a few small fields at most (none is read), so no part costs memory.
      limits: {
        files: 1,
        fileSize: options.maxBytes,
        parts: 11,
        fields: 10,
        fieldSize: 1024,
        headerPairs: 20,
      },
    });
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
      // Torn down outside busboy's own event handlers: busboy still uses its
      // state after they return, and throws if it is gone.
      setImmediate(() => {
        req.unpipe(busboy);
        busboy.destroy();
        // Discard what is still arriving; the error answer closes the connection.
        req.resume();
        file?.destroy(error);
        // Answer only once nothing of this upload is left in storage.
        void discard(stored, storage).finally(() => reject(error));
      });
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
      // busboy only ends a file at its closing boundary: answer as soon as the limit is crossed.
      stream.once("limit", () => fail(tooLarge(options)));
      stored = storeOriginal(stream, sanitizeFilename(info.filename), ownerOf(req).id, storage, options);
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
    // `pipe` passes on no abort: without this, a client that hangs up mid-upload
    // would leave the spooled file and this promise waiting forever.
    req.once("close", () => {
      if (!req.complete) fail(clientClosed());
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
  owner: string,
  storage: ObjectStorage,
  options: UploadOptions,
): Promise<ReceivedUpload> {
  const { head, body } = await readHead(file, SNIFF_BYTES);
  // Refuses what the first bytes rule out before reading on; the verdict is
  // the whole file's, below (a TIFF's first directory is often at its end).
  await sniffImageHead(head);

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
  let contentType: string;
  try {
    contentType = await sniffImageFile(spooled.path);
    await storage.putStream(
      originalKey,
      () => spooled.open(),
      spooled.bytes,
      contentType,
      originalMetadata.of(filename, owner),
    );
  } finally {
    await spooled.release();
  }
  return { id, originalKey, filename, contentType, bytes: spooled.bytes };
}

function clientClosed(): AppError {
  return new AppError("VALIDATION_FAILED", "The client closed the connection mid-upload.");
}

export function tooLarge(options: Pick<UploadOptions, "maxBytes">): AppError {
  return new AppError(
    "FILE_TOO_LARGE",
    `The file is larger than the upload limit of ${options.maxBytes} bytes.`,
  );
}

/** Control characters, C0 and C1, and the bidirectional overrides that can disguise an extension. */
const UNSAFE_IN_NAMES = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;

/** Keeps a display name only: no path, no control or direction characters, at most 255 code points. */
export function sanitizeFilename(name: string | undefined): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const clean = [...base.replace(UNSAFE_IN_NAMES, "").trim()].slice(0, 255).join("");
  return clean || "photo";
}
