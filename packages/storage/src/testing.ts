import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { StoredOriginal } from "@darkroom/contracts";
import { GetObjectTaggingCommand } from "@aws-sdk/client-s3";
import type { S3Config } from "./config";
import { ObjectNotFoundError, StorageUnavailableError } from "./errors";
import { objectKeys } from "./keys";
import type { ObjectInfo, ObjectStorage } from "./object-storage";
import { createS3Client } from "./s3-storage";

/** An object's tags, as the bucket's lifecycle rules see them. */
export async function objectTags(config: S3Config, key: string): Promise<Record<string, string>> {
  const client = createS3Client(config);
  try {
    const { TagSet = [] } = await client.send(
      new GetObjectTaggingCommand({ Bucket: config.bucket, Key: `${config.keyPrefix}${key}` }),
    );
    return Object.fromEntries(TagSet.map((tag) => [tag.Key ?? "", tag.Value ?? ""] as const));
  } finally {
    client.destroy();
  }
}

/** An object kept in memory, with what S3 would say of it. */
interface MemoryObject {
  body: Buffer;
  contentType: string;
  metadata: Record<string, string>;
  tags: Record<string, string>;
  lastModified: Date;
}

const infoOf = ({ body, contentType, lastModified, metadata }: MemoryObject): ObjectInfo => ({
  bytes: body.byteLength,
  contentType,
  lastModified,
  metadata,
});

/** Object storage in memory, for fast tests of the code that uses one. */
export interface MemoryStorage extends ObjectStorage {
  objects: Map<string, MemoryObject>;
  /** While true, every call fails as it would with S3 away. */
  unavailable: boolean;
}

export function createMemoryStorage(): MemoryStorage {
  const objects = new Map<string, MemoryObject>();
  /** As S3 answers: asynchronously, and failing while it is away. */
  const answer = <T>(read: () => T) =>
    new Promise<T>((resolve) => {
      if (memory.unavailable) throw new StorageUnavailableError("S3 is unreachable (in memory)");
      resolve(read());
    });
  const existing = (key: string) => {
    const object = objects.get(key);
    if (!object) throw new ObjectNotFoundError(key);
    return object;
  };
  const store = (key: string, body: Buffer, contentType: string, metadata: Record<string, string> = {}) =>
    void objects.set(key, { body, contentType, metadata, tags: {}, lastModified: new Date() });
  const listed = (prefix: string) =>
    [...objects].filter(([key]) => key.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b));

  const memory: MemoryStorage = {
    objects,
    unavailable: false,
    put: (key, body, contentType, metadata) => answer(() => store(key, body, contentType, metadata)),
    async putStream(key, openBody, _bytes, contentType, metadata) {
      const chunks = (await (await answer(openBody)).toArray()) as Uint8Array[];
      store(key, Buffer.concat(chunks), contentType, metadata);
    },
    get: (key) =>
      answer(() => {
        const { body, contentType, metadata } = existing(key);
        return {
          body: Readable.from([body]),
          contentType,
          bytes: body.byteLength,
          etag: undefined,
          metadata,
        };
      }),
    getBuffer: (key) => answer(() => existing(key).body),
    readStart: (key, bytes) =>
      answer(() => {
        const object = objects.get(key);
        return object && { start: object.body.subarray(0, bytes), object: infoOf(object) };
      }),
    readRange: (key, offset, bytes) => answer(() => existing(key).body.subarray(offset, offset + bytes)),
    signPut: (key, { bytes, contentType, expiresInS }) =>
      answer(() => ({
        url: `memory://storage/${key}?bytes=${bytes}`,
        headers: Object.fromEntries(contentType ? [["Content-Type", contentType]] : []),
        expiresAt: new Date(Date.now() + expiresInS * 1000),
      })),
    // Signing needs no storage: it works with S3 away.
    signGet: (key, { expiresInS, signedAt }) =>
      Promise.resolve(`memory://storage/${key}?signed=${signedAt.getTime()}&expires=${expiresInS}`),
    head: (key) =>
      answer(() => {
        const object = objects.get(key);
        return object && infoOf(object);
      }),
    deleteMany: (keys) => answer(() => keys.forEach((key) => objects.delete(key))),
    setTags: (key, tags) => answer(() => void (existing(key).tags = tags)),
    listKeys: (prefix) => answer(() => listed(prefix).map(([key]) => key)),
    listObjects: (prefix) =>
      answer(() => listed(prefix).map(([key, object]) => ({ key, lastModified: object.lastModified }))),
    ping: () => answer(() => undefined),
  };
  return memory;
}

/**
 * An upload as the API hands it on, a JPEG of `photo`'s size; its original
 * is stored in `storage` first, unless `photo` is undefined: an upload whose
 * original has gone.
 */
export async function storedUpload(
  storage: ObjectStorage,
  photo: Buffer | undefined,
  fields: Partial<StoredOriginal> = {},
): Promise<StoredOriginal> {
  const id = fields.id ?? randomUUID();
  const upload: StoredOriginal = {
    id,
    originalKey: objectKeys.original(id),
    contentType: "image/jpeg",
    bytes: photo?.byteLength ?? 1,
    filename: "photo.jpg",
    uploadedAt: new Date().toISOString(),
    ...fields,
  };
  if (photo) await storage.put(upload.originalKey, photo, upload.contentType);
  return upload;
}
