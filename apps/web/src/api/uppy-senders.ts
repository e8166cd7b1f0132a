import {
  acceptedUploadSchema,
  uploadSnapshotSchema,
  type AcceptedUpload,
  type UploadMode,
  type UploadSnapshot,
} from "@darkroom/contracts";
import AwsS3 from "@uppy/aws-s3";
import Uppy, { type Body, type Meta, type UppyFile } from "@uppy/core";
import Tus from "@uppy/tus";
import XHRUpload from "@uppy/xhr-upload";
import { api, errorDetailOf, errorOf, NETWORK_ERROR } from "./client";
import { isApiErrorBody, isPassingFault, parseJson, RETRY_DELAYS_MS, sleep, untilOnline } from "./retry";
import { resumableUrlStorage } from "./unfinished-uploads";
import { uploadErrorDetail } from "./upload-errors";
import type { PageMode, UploadProgress, UploadResult } from "./upload-file";

/** Sends one file with Uppy, in the mode's own instance; see `uploadFile`. */
export function send(file: File, mode: PageMode, progress: UploadProgress): Promise<UploadResult> {
  senders[mode] ??= SENDERS[mode]();
  return senders[mode].send(file, progress);
}

/** What each photo carries through Uppy. */
interface PhotoMeta extends Meta {
  /** Queued and sync: a repeat after a lost answer gets the first answer again, and stores nothing twice. */
  idempotencyKey: string;
  /** Resumable: tus' `Upload-Metadata` keys. */
  filename: string;
  filetype: string;
  /** Direct: where to tell the API the bytes are in storage; known once the upload is signed. */
  completeUrl?: string;
}
type PhotoUppy = Uppy<PhotoMeta, Body>;
type PhotoFile = UppyFile<PhotoMeta, Body>;

/**
 * Uppy, one instance per mode: an instance runs every uploader it has on
 * every file, so the modes cannot share one. Each file goes up on its own,
 * and leaves the instance once its outcome is known; the cards, not Uppy's
 * state, are what the page shows.
 */
interface ModeSender {
  uppy: PhotoUppy;
  /** What the server made of a file Uppy reports sent. */
  settle: (file: PhotoFile) => Promise<UploadResult>;
  /**
   * Whole uploads to try again after a network error. Zero where the
   * uploader retries by itself, and waits for the browser to come online.
   */
  networkRetries: number;
}

const senders: Partial<Record<PageMode, PhotoSender>> = {};

const SENDERS: Record<PageMode, () => PhotoSender> = {
  queued: () => new PhotoSender(formSender("queued", "/api/uploads")),
  sync: () => new PhotoSender(formSender("sync", "/api/uploads/sync")),
  direct: () => new PhotoSender(directSender()),
  resumable: () => new PhotoSender(resumableSender()),
};

/** Why Uppy gave up on a file, as its `upload-error` event told. */
interface Failure {
  error: unknown;
  response: unknown;
}

class PhotoSender {
  readonly #mode: ModeSender;
  readonly #progress = new Map<string, UploadProgress>();
  readonly #failures = new Map<string, Failure>();

  constructor(mode: ModeSender) {
    this.#mode = mode;
    const { uppy } = mode;
    uppy.on("upload-progress", (file, { bytesUploaded, bytesTotal }) => {
      const total = bytesTotal ?? file?.size;
      if (!file || !total) return;
      this.#progress.get(file.id)?.onSent(Math.min(100, Math.round((bytesUploaded / total) * 100)));
    });
    uppy.on("upload-error", (file, error, response) => {
      if (!file) return;
      this.#failures.set(file.id, { error, response });
      // Uppy's `upload()` first retries every file with an error, whichever
      // file it was called for: this page decides on retries itself.
      if (uppy.getFile(file.id)) uppy.setFileState(file.id, { error: null });
    });
  }

  async send(file: File, progress: UploadProgress): Promise<UploadResult> {
    const { uppy, settle, networkRetries } = this.#mode;
    let id: string;
    try {
      id = uppy.addFile({
        name: file.name,
        type: file.type,
        data: file,
        source: "darkroom",
        meta: { idempotencyKey: randomKey(), filename: file.name, filetype: file.type },
      });
    } catch (error) {
      return { ok: false, error: { code: "VALIDATION_FAILED", message: String(error) } };
    }
    this.#progress.set(id, progress);
    try {
      // `upload()` takes every file added and not yet started: this one.
      await uppy.upload();
      for (let retry = 0; retry < networkRetries && this.#failedOnNetwork(id); retry++) {
        await untilOnline();
        await sleep(RETRY_DELAYS_MS[retry] ?? 0);
        this.#failures.delete(id);
        // Uppy skips the bytes of a file it already sent, and runs only the postprocessor again.
        await uppy.retryUpload(id);
      }
      const failure = this.#failures.get(id);
      if (failure) return { ok: false, error: uploadErrorDetail(failure.error, failure.response) };
      const current = uppy.getFile(id);
      // Neither sent nor failed: removed or cancelled, which this page never does.
      return current?.progress.uploadComplete ? await settle(current) : { ok: false, error: NETWORK_ERROR };
    } catch (error) {
      return { ok: false, error: uploadErrorDetail(error) };
    } finally {
      this.#progress.delete(id);
      this.#failures.delete(id);
      // Only once Uppy is done with it: removing a file whose tus upload is
      // still referenced terminates the upload on the server.
      if (uppy.getFile(id)) uppy.removeFile(id);
    }
  }

  #failedOnNetwork(id: string): boolean {
    const failure = this.#failures.get(id);
    return failure !== undefined && uploadErrorDetail(failure.error, failure.response).code === "NETWORK";
  }
}

function newUppy(mode: PageMode): PhotoUppy {
  return new Uppy<PhotoMeta, Body>({
    id: `darkroom-${mode}`,
    // Uppy names a file by its name, type, size and date, and refuses the
    // same name twice. A photo added again while its first copy is still on
    // its way is a second upload, as it is in every other mode. The first
    // copy keeps the plain name: tus finds an interrupted upload by it.
    onBeforeFileAdded: (file, files) =>
      Object.hasOwn(files, file.id) ? { ...file, id: `${file.id}-${randomKey()}` } : file,
  });
}

/**
 * Queued and sync: a multipart form, field `file`, to the API. Uppy's
 * XHR fetcher tries again after a passing fault (by default after any
 * answer but a success, a 415 included); before each try it waits for the
 * browser to be online, else every try fails at once while offline.
 */
function formSender(mode: "queued" | "sync", endpoint: string): ModeSender {
  const uppy = newUppy(mode);
  // `retries` is not among XHRUpload's options, but XHRUpload hands all of
  // them to Uppy's fetcher, which reads it (default 3). Its waits start at
  // 0.15 s and double. (Not an object literal in the call, so that the
  // extra key passes; and Uppy's `use` types the file's meta loosely.)
  const options = {
    endpoint,
    fieldName: "file",
    // Else every meta field (name, type, our keys) is posted as a form field.
    allowedMetaFields: false,
    limit: 6,
    headers: (file: UppyFile<Meta, Body>) => ({ "Idempotency-Key": String(file.meta.idempotencyKey) }),
    retries: RETRY_DELAYS_MS.length,
    shouldRetry: (xhr: XMLHttpRequest) => isPassingFault(xhr.status, parseJson(xhr.responseText)),
    onBeforeRequest: () => untilOnline(),
  };
  uppy.use(XHRUpload, options);
  return {
    uppy,
    networkRetries: 0,
    settle: (file) => Promise.resolve(readAnswer(mode, file.response?.status ?? 0, file.response?.body)),
  };
}

/** A 202 (queued) or a 201 (sync) as a snapshot; anything else as the error it says. */
function readAnswer(mode: "queued" | "sync", status: number, json: unknown): UploadResult {
  if (status === 202) {
    const accepted = acceptedUploadSchema.safeParse(json);
    if (accepted.success) return { ok: true, snapshot: queuedSnapshot(accepted.data, mode) };
  }
  if (status === 201) {
    const finished = uploadSnapshotSchema.safeParse(json);
    if (finished.success) return { ok: true, snapshot: finished.data };
  }
  return { ok: false, error: errorOf(status, "", json) };
}

/**
 * Direct: `@uppy/aws-s3` PUTs the file to the URL the API signs, with
 * exactly the headers it signed; a postprocessor then tells the API, which
 * checks the object and enqueues it. Since 6.0 the plugin asks a
 * `signRequest` per S3 request (`getUploadParameters` is gone); with
 * `shouldUseMultipart: false` that is one PUT per file.
 */
function directSender(): ModeSender {
  const uppy = newUppy("direct");
  uppy.use(AwsS3, {
    shouldUseMultipart: false,
    limit: 6,
    // The API chooses the object's key. Uppy's proposal only tells
    // `signRequest` which file it is signing for.
    generateObjectKey: (file) => file.id,
    signRequest: async (request) => {
      const file = uppy.getFile(request.key);
      if (request.method !== "PUT" || "uploadId" in request || !file)
        throw new Error(`A direct upload is one PUT, not ${request.method} ${request.key}.`);
      const signed = await api.signDirectUpload({
        filename: file.name,
        bytes: file.size ?? 0,
        // What Uppy sends as Content-Type: the API binds it to the signature.
        contentType: request.contentType,
      });
      uppy.setFileMeta(file.id, { ...file.meta, completeUrl: signed.completeUrl });
      return { url: signed.upload.url, key: signed.id, headers: signed.upload.headers };
    },
  });
  // The plugin retries a PUT that fails while online (3 times, on 5xx, 429
  // and no answer), but gives up on one cut by going offline.
  uppy.addPostProcessor((fileIds) => completeDirect(uppy, fileIds));
  return { uppy, networkRetries: RETRY_DELAYS_MS.length, settle: settleDirect };
}

/**
 * Once S3 has the bytes, `POST completeUrl`. A refusal (415, 413,
 * `SIZE_MISMATCH`, `QUEUE_FULL` ...) fails that file only, as an
 * `upload-error`, like the other modes' refusals.
 */
async function completeDirect(uppy: PhotoUppy, fileIds: string[]): Promise<void> {
  await Promise.all(
    fileIds.map(async (id) => {
      const file = uppy.getFile(id);
      const completeUrl = file?.meta.completeUrl;
      // `uploadComplete`: S3 took the file (Uppy sets it on success only).
      if (!file?.progress.uploadComplete || !completeUrl) return;
      uppy.emit("postprocess-progress", file, { mode: "indeterminate", message: "Completing" });
      try {
        const accepted = await api.completeDirectUpload(completeUrl);
        uppy.setFileState(id, { response: { status: 202, body: accepted } });
      } catch (error) {
        uppy.emit("upload-error", uppy.getFile(id), toEventError(error));
      } finally {
        uppy.emit("postprocess-complete", uppy.getFile(id));
      }
    }),
  );
}

function settleDirect(file: PhotoFile): Promise<UploadResult> {
  const accepted = acceptedUploadSchema.safeParse(file.response?.body);
  return Promise.resolve(
    accepted.success
      ? { ok: true, snapshot: queuedSnapshot(accepted.data, "direct") }
      : { ok: false, error: errorOf(file.response?.status ?? 0, "", file.response?.body) },
  );
}

/**
 * Waits before each try again of a tus request. tus-js-client starts the
 * count over once an upload has moved on, so these are the waits without
 * progress, about 40 s in all, before the card says the upload stopped.
 */
const TUS_RETRY_DELAYS_MS = [300, 1_000, 3_000, 5_000, 10_000, 20_000];

/**
 * Resumable: tus 1.0 through the API. The bytes go as one PATCH (no chunk
 * size: the server streams them on to S3 part by part); after a cut, tus
 * asks the server how far it got (HEAD) and sends the rest from there. The
 * upload's URL is kept in localStorage under a fingerprint of the file, so
 * the same photo chosen again after a reload continues too.
 */
function resumableSender(): ModeSender {
  const uppy = newUppy("resumable");
  uppy.use(Tus, {
    // tus resolves the Location the server answers against the endpoint,
    // with `new URL(location, endpoint)`: a path alone is no base.
    endpoint: new URL("/api/uploads/tus", window.location.origin).href,
    allowedMetaFields: ["filename", "filetype"],
    limit: 6,
    retryDelays: TUS_RETRY_DELAYS_MS,
    urlStorage: resumableUrlStorage,
    // Else the same photo added again later "resumes" the finished upload
    // and gets its id back instead of a new upload.
    removeFingerprintOnSuccess: true,
    // Uppy's default (`next`) retries a network error (pausing every tus
    // upload until the browser is online), a 5xx, 409 and 423 (tus'
    // offset mismatch and lock), and backs off on 429. An answer that
    // carries the API's error body is judged as every other mode's is, so
    // a 503 QUEUE_FULL on the last PATCH is shown, not sent again.
    onShouldRetry: (error, _attempt, _options, next) => {
      const response = error.originalResponse;
      const body: unknown = response ? parseJson(response.getBody()) : undefined;
      if (response && isApiErrorBody(body)) return isPassingFault(response.getStatus(), body);
      return next(error);
    },
  });
  return { uppy, networkRetries: 0, settle: settleResumable };
}

async function settleResumable(file: PhotoFile): Promise<UploadResult> {
  const id = file.response?.uploadURL?.split("/").at(-1);
  if (!id) return { ok: false, error: errorOf(0, "", undefined) };
  try {
    return { ok: true, snapshot: await api.uploadJustSent(decodeURIComponent(id)) };
  } catch (error) {
    return { ok: false, error: errorDetailOf(error) };
  }
}

/** What a 202 says, until the first snapshot arrives. */
function queuedSnapshot(accepted: AcceptedUpload, mode: UploadMode): UploadSnapshot {
  return { id: accepted.id, mode, status: "queued", stage: "queued", progress: 0, variants: [] };
}

function toEventError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** 128 random bits in hex. `crypto.randomUUID` exists only on HTTPS and localhost pages. */
function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
}
