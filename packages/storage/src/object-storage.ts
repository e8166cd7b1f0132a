import type { Readable } from "node:stream";

export interface ObjectInfo {
  bytes: number;
  contentType: string | undefined;
  lastModified: Date | undefined;
  /** User metadata (`x-amz-meta-*`), names in lower case. */
  metadata: Record<string, string>;
}

export interface ListedObject {
  key: string;
  lastModified: Date | undefined;
}

/** A PUT a client may make straight to storage, without credentials of its own. */
export interface SignedPut {
  url: string;
  /** Headers the PUT must carry as they are: the signature covers them. */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface StoredObject {
  body: Readable;
  contentType: string | undefined;
  bytes: number | undefined;
  etag: string | undefined;
  /** User metadata (`x-amz-meta-*`), names in lower case. */
  metadata: Record<string, string>;
}

/**
 * Object storage, as the apps use it. Keys are relative: the implementation
 * adds its configured prefix. Errors are `ObjectNotFoundError` or
 * `StorageUnavailableError`; anything else is a bug.
 */
export interface ObjectStorage {
  put(key: string, body: Buffer, contentType: string, metadata?: Record<string, string>): Promise<void>;
  /**
   * Streams `bytes` bytes to `key` in one PUT, holding none of them in memory.
   * The body is opened only once a connection to S3 is free for it, so
   * uploads waiting their turn hold no read buffers; it is closed afterwards.
   */
  putStream(
    key: string,
    openBody: () => Readable,
    bytes: number,
    contentType: string,
    metadata?: Record<string, string>,
  ): Promise<void>;
  get(key: string): Promise<StoredObject>;
  getBuffer(key: string): Promise<Buffer>;
  /**
   * The first `bytes` bytes of the object (all of it if it is shorter), and
   * what a HEAD would say of it, in one ranged GET; `undefined` when there is
   * no object at `key`.
   */
  readStart(key: string, bytes: number): Promise<{ start: Buffer; object: ObjectInfo } | undefined>;
  /**
   * `bytes` bytes of the object from `offset` (fewer where it ends sooner), in
   * one ranged GET.
   * @throws ObjectNotFoundError when there is no object at `key`.
   */
  readRange(key: string, offset: number, bytes: number): Promise<Buffer>;
  /**
   * A URL that lets whoever holds it PUT exactly `bytes` bytes at `key`,
   * until `expiresInS` seconds from now; with `contentType`, only of that type;
   * with `metadata`, only with exactly that metadata, sent as the headers the answer lists.
   */
  signPut(
    key: string,
    put: { bytes: number; contentType?: string; metadata?: Record<string, string>; expiresInS: number },
  ): Promise<SignedPut>;
  /**
   * A URL that lets whoever holds it GET `key` for `expiresInS` seconds from
   * `signedAt`. Signing is local (an HMAC), and the same arguments give the
   * same URL, so callers that want URLs a browser can cache keep `signedAt`
   * steady. With `cacheControl` or `contentDisposition`, storage answers
   * with that `Cache-Control` or `Content-Disposition`.
   */
  signGet(
    key: string,
    get: { expiresInS: number; signedAt: Date; cacheControl?: string; contentDisposition?: string },
  ): Promise<string>;
  /** `undefined` when there is no object at `key`. */
  head(key: string): Promise<ObjectInfo | undefined>;
  deleteMany(keys: readonly string[]): Promise<void>;
  /** Replaces the object's tags, which lifecycle rules can match; `{}` removes them. */
  setTags(key: string, tags: Record<string, string>): Promise<void>;
  /** Every key that starts with `prefix`, without the configured prefix. */
  listKeys(prefix: string): Promise<string[]>;
  /** Every object whose key starts with `prefix`, as `listKeys`, with when it was written. */
  listObjects(prefix: string): Promise<ListedObject[]>;
  /** Resolves when the bucket is reachable. */
  ping(): Promise<void>;
}
