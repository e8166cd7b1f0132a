import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, type S3Client } from "@aws-sdk/client-s3";
import { S3Store, type MetadataValue } from "@tus/s3-store";
import type { KvStore } from "@tus/utils";
import type { S3Config } from "./config";
import { ObjectNotFoundError } from "./errors";
import { objectKeys } from "./keys";
import type { ObjectStorage } from "./object-storage";
import { createS3Client, s3ClientConfig } from "./s3-storage";

export type { MetadataValue as ResumableUploadState } from "@tus/s3-store";

/** The prefix of the objects tus keeps beside an upload in progress: its `.info` and its last short part. */
const bookkeepingPrefix = "resumable/";

/**
 * Where a resumable upload's bytes go: tus's S3 store writes them as an S3
 * multipart upload whose key is the upload's id, so a finished upload is its
 * original, where every other mode puts it. Its bookkeeping lives apart, under
 * `resumable/`, so that the originals' prefix holds originals only.
 */
export interface ResumableStoreOptions {
  /** Where the state of uploads in progress is cached; several API instances must share it. */
  cache?: KvStore<MetadataValue>;
  /** How long an unfinished upload may wait for its next byte before it is aborted. */
  expiresInMs: number;
  /** S3 parts in flight at once, over all uploads; each is spooled to disk first. */
  maxPartsInFlight: number;
  /** Told of every chunk of a PATCH body as tus reads it, a body cut short included. */
  onBytesReceived?: (bytes: number) => void;
}

class ResumableS3Store extends S3Store {
  constructor(
    private readonly originalsPrefix: string,
    private readonly bookkeeping: string,
    private readonly onBytesReceived: (bytes: number) => void,
    options: ConstructorParameters<typeof S3Store>[0],
  ) {
    super(options);
  }

  override write(src: Readable, id: string, offset: number): Promise<number> {
    const counted = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.onBytesReceived(chunk.byteLength);
        done(null, chunk);
      },
    });
    // Its end, or its error, reaches the store through the counter.
    pipeline(src, counted).catch(() => undefined);
    return super.write(counted, id, offset);
  }

  protected override infoKey(id: string): string {
    return `${this.bookkeepingKey(id)}.info`;
  }

  protected override partKey(id: string, isIncomplete = false): string {
    return isIncomplete ? `${this.bookkeepingKey(id)}.part` : id;
  }

  private bookkeepingKey(id: string): string {
    return this.bookkeeping + id.slice(this.originalsPrefix.length);
  }
}

export function createResumableStore(config: S3Config, options: ResumableStoreOptions): S3Store {
  const { keyPrefix } = config;
  const onBytesReceived = options.onBytesReceived ?? (() => undefined);
  return new ResumableS3Store(
    keyPrefix + objectKeys.originals,
    keyPrefix + bookkeepingPrefix,
    onBytesReceived,
    {
      cache: options.cache,
      expirationPeriodInMilliseconds: options.expiresInMs,
      maxConcurrentPartUploads: options.maxPartsInFlight,
      s3ClientConfig: { ...s3ClientConfig(config), bucket: config.bucket },
    },
  );
}

/** The tus id of an upload: the full key of its original, which tus writes to. */
export const resumableUploadKey = (config: S3Config, id: string): string =>
  config.keyPrefix + objectKeys.original(id);

/**
 * Aborts resumable uploads left unfinished past their expiry, with their
 * bookkeeping, and removes the bookkeeping of finished ones once as old: a
 * client that lost the answer to its last PATCH may ask about it meanwhile.
 * Only this deployment's uploads (its key prefix) are looked at. Real S3 and
 * MinIO can also expire them by lifecycle rules, on the `Tus-Completed` tag
 * and on incomplete multipart uploads; the local S3 server has none.
 */
export async function expireResumableUploads(
  config: S3Config,
  storage: ObjectStorage,
  expiresInMs: number,
  client: S3Client = createS3Client(config),
): Promise<{ aborted: string[]; removed: number }> {
  const before = Date.now() - expiresInMs;
  const originals = config.keyPrefix + objectKeys.originals;
  const aborted: string[] = [];
  let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
  for (;;) {
    const page = await client.send(
      new ListMultipartUploadsCommand({ Bucket: config.bucket, Prefix: originals, ...markers }),
    );
    for (const { Key, UploadId, Initiated } of page.Uploads ?? []) {
      if (!Key || !UploadId || !Initiated || Initiated.getTime() >= before) continue;
      await client.send(new AbortMultipartUploadCommand({ Bucket: config.bucket, Key, UploadId }));
      aborted.push(Key.slice(originals.length));
    }
    if (!page.IsTruncated) break;
    markers = { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker };
  }
  const stale = (await storage.listObjects(bookkeepingPrefix)).filter(
    ({ lastModified }) => lastModified !== undefined && lastModified.getTime() < before,
  );
  await storage.deleteMany(stale.map(({ key }) => key));
  return { aborted, removed: stale.length };
}

/** The objects tus keeps beside a resumable upload: none for uploads in other modes. */
export const resumableBookkeepingKeys = (id: string): string[] => [
  `${bookkeepingPrefix}${id}.info`,
  `${bookkeepingPrefix}${id}.part`,
];

/** Removes a finished resumable upload's bookkeeping, so that a client asking about it is told there is none. */
export async function forgetResumableUpload(storage: ObjectStorage, id: string): Promise<void> {
  await storage.deleteMany(resumableBookkeepingKeys(id));
}

/**
 * The metadata the API gave a resumable upload at its creation (its name and
 * owner), from tus's record of it: S3 metadata cannot be added to a multipart
 * upload's object after it starts. `undefined` once the record has gone.
 */
export async function resumableUploadMetadata(
  storage: ObjectStorage,
  id: string,
): Promise<Record<string, string> | undefined> {
  const info = await storage.getBuffer(`${bookkeepingPrefix}${id}.info`).catch((error: unknown) => {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  });
  if (!info) return undefined;
  const { metadata } = JSON.parse(info.toString("utf8")) as { metadata?: Record<string, string | null> };
  return Object.fromEntries(
    Object.entries(metadata ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}
