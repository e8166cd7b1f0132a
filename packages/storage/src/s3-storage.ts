import { Readable } from "node:stream";
import { setTimeout } from "node:timers/promises";
import pLimit from "p-limit";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { getSignedUrl, S3RequestPresigner } from "@aws-sdk/s3-request-presigner";
import { s3ConfigFromEnv, s3EnvSchema, type S3Config } from "./config";
import { ObjectNotFoundError, StorageUnavailableError } from "./errors";
import type { ListedObject, ObjectStorage } from "./object-storage";

/**
 * Connections to S3 per client, the SDK's default made explicit: stream PUTs
 * beyond it wait for a free one without opening their bodies.
 */
const MAX_SOCKETS = 50;

/** Tries per stream PUT; the SDK itself retries the others (`maxAttempts`). */
const STREAM_PUT_ATTEMPTS = 3;
const STREAM_RETRY_DELAY_MS = 100;

/** Where and how every S3 client here talks to the bucket. */
export function s3ClientConfig(config: S3Config) {
  return {
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // Checksums only where S3 requires them: MinIO and the local test server
    // both handle this, and stream uploads need no aws-chunked framing.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  } as const;
}

export function createS3Client(config: S3Config): S3Client {
  return new S3Client({
    ...s3ClientConfig(config),
    requestHandler: { httpAgent: { maxSockets: MAX_SOCKETS, keepAlive: true } },
    maxAttempts: 3,
  });
}

/** The bucket an environment names (`S3_*`), for processes that have no config of their own: tests, tools. */
export function storageFromEnv(env: Record<string, string | undefined>): ObjectStorage {
  return createS3Storage(s3ConfigFromEnv(s3EnvSchema.parse(env)));
}

export function createS3Storage(config: S3Config, client: S3Client = createS3Client(config)): ObjectStorage {
  const Bucket = config.bucket;
  // Signs without a request: only its endpoint differs, so URLs name the public one.
  const signer = createS3Client({ ...config, endpoint: config.publicEndpoint });
  const signGet = getSigner(config, signer);
  const streamSlots = pLimit(MAX_SOCKETS);
  const fullKey = (key: string) => config.keyPrefix + key;

  return {
    async put(key, body, contentType, metadata = {}) {
      assertMetadataFits(metadata);
      await guard(key, () =>
        client.send(
          new PutObjectCommand({
            Bucket,
            Key: fullKey(key),
            Body: body,
            ContentType: contentType,
            Metadata: metadata,
          }),
        ),
      );
    },

    putStream(key, openBody, bytes, contentType, metadata = {}) {
      assertMetadataFits(metadata);
      const putOnce = async () => {
        const body = openBody();
        try {
          await guard(key, () =>
            client.send(
              new PutObjectCommand({
                Bucket,
                Key: fullKey(key),
                Body: body,
                ContentLength: bytes,
                ContentType: contentType,
                Metadata: metadata,
              }),
            ),
          );
        } finally {
          // A failed PUT leaves its body open.
          body.destroy();
        }
      };
      return streamSlots(async () => {
        // The SDK cannot retry a stream it has consumed, and a kept-alive
        // connection the server has just closed fails the first write: try
        // again with the body opened afresh.
        for (let attempt = 1; ; attempt++) {
          try {
            return await putOnce();
          } catch (error) {
            if (!(error instanceof StorageUnavailableError) || attempt === STREAM_PUT_ATTEMPTS) throw error;
            await setTimeout(STREAM_RETRY_DELAY_MS * attempt);
          }
        }
      });
    },

    async get(key) {
      const output = await guard(key, () => client.send(new GetObjectCommand({ Bucket, Key: fullKey(key) })));
      if (!(output.Body instanceof Readable)) throw new StorageUnavailableError(`No body for ${key}`);
      return {
        body: output.Body,
        contentType: output.ContentType,
        bytes: output.ContentLength,
        etag: output.ETag,
        metadata: output.Metadata ?? {},
      };
    },

    async getBuffer(key) {
      return readAll((await this.get(key)).body);
    },

    async readStart(key, bytes) {
      let output;
      try {
        output = await guard(key, () =>
          client.send(new GetObjectCommand({ Bucket, Key: fullKey(key), Range: `bytes=0-${bytes - 1}` })),
        );
      } catch (error) {
        if (error instanceof ObjectNotFoundError) return undefined;
        // No range of an empty object can be satisfied.
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 416) {
          const object = await this.head(key);
          return object && { start: Buffer.alloc(0), object };
        }
        throw error;
      }
      if (!(output.Body instanceof Readable)) throw new StorageUnavailableError(`No body for ${key}`);
      // A server that ignores the range sends it all: keep the start only.
      const start = (await readAll(output.Body)).subarray(0, bytes);
      // "bytes 0-4099/2345678": the whole object's size is after the slash.
      const total = /\/(\d+)$/.exec(output.ContentRange ?? "")?.[1];
      const object = {
        bytes: total === undefined ? (output.ContentLength ?? start.byteLength) : Number(total),
        contentType: output.ContentType,
        lastModified: output.LastModified,
        metadata: output.Metadata ?? {},
      };
      return { start, object };
    },

    async readRange(key, offset, bytes) {
      const output = await guard(key, () =>
        client.send(
          new GetObjectCommand({ Bucket, Key: fullKey(key), Range: `bytes=${offset}-${offset + bytes - 1}` }),
        ),
      );
      if (!(output.Body instanceof Readable)) throw new StorageUnavailableError(`No body for ${key}`);
      const body = await readAll(output.Body);
      // A server that ignores the range sends it all: keep the range only.
      return output.ContentRange ? body.subarray(0, bytes) : body.subarray(offset, offset + bytes);
    },

    async signPut(key, { bytes, contentType, metadata = {}, expiresInS }) {
      assertMetadataFits(metadata);
      const command = new PutObjectCommand({
        Bucket,
        Key: fullKey(key),
        ContentLength: bytes,
        ContentType: contentType,
        Metadata: metadata,
      });
      const metadataHeaders = Object.keys(metadata).map((name) => `x-amz-meta-${name}`);
      const signed = [...(contentType ? ["content-type"] : []), ...metadataHeaders];
      const url = await getSignedUrl(signer, command, {
        expiresIn: expiresInS,
        signableHeaders: new Set(["content-length", ...signed]),
        // Kept as headers the client must send, not query parameters: S3 stores only headers as metadata.
        unhoistableHeaders: new Set(metadataHeaders),
      });
      const headers: Record<string, string> = contentType ? { "Content-Type": contentType } : {};
      for (const [name, value] of Object.entries(metadata)) headers[`x-amz-meta-${name}`] = value;
      return { url, headers, expiresAt: new Date(Date.now() + expiresInS * 1000) };
    },

    signGet(key, { expiresInS, signedAt, ...answer }) {
      return signGet(fullKey(key), { expiresIn: expiresInS, signingDate: signedAt }, answer);
    },

    async head(key) {
      try {
        const output = await guard(key, () =>
          client.send(new HeadObjectCommand({ Bucket, Key: fullKey(key) })),
        );
        return {
          bytes: output.ContentLength ?? 0,
          contentType: output.ContentType,
          lastModified: output.LastModified,
          metadata: output.Metadata ?? {},
        };
      } catch (error) {
        if (error instanceof ObjectNotFoundError) return undefined;
        throw error;
      }
    },

    async deleteMany(keys) {
      // S3 deletes at most a thousand keys per request.
      for (let start = 0; start < keys.length; start += 1000) {
        const batch = keys.slice(start, start + 1000);
        await guard(batch.join(", "), () =>
          client.send(
            new DeleteObjectsCommand({
              Bucket,
              Delete: { Objects: batch.map((key) => ({ Key: fullKey(key) })), Quiet: true },
            }),
          ),
        );
      }
    },

    async setTags(key, tags) {
      const TagSet = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      await guard(key, () =>
        client.send(new PutObjectTaggingCommand({ Bucket, Key: fullKey(key), Tagging: { TagSet } })),
      );
    },

    async listKeys(prefix) {
      return (await this.listObjects(prefix)).map((object) => object.key);
    },

    async listObjects(prefix) {
      const objects: ListedObject[] = [];
      await guard(prefix, async () => {
        for await (const page of paginateListObjectsV2({ client }, { Bucket, Prefix: fullKey(prefix) })) {
          for (const { Key, LastModified } of page.Contents ?? []) {
            if (Key) objects.push({ key: Key.slice(config.keyPrefix.length), lastModified: LastModified });
          }
        }
      });
      return objects;
    },

    async ping() {
      await guard(Bucket, () => client.send(new HeadBucketCommand({ Bucket })));
    },
  };
}

/**
 * Presigns GETs of keys (with the prefix) at the public endpoint, as
 * `getSignedUrl` would sign a `GetObjectCommand` (a test holds the two to
 * the same URL), without the SDK's request pipeline: that resolves the
 * endpoint and builds a presigner for every URL, some ten times the cost of
 * the signature, and a listing of 100 uploads signs 600 URLs. Here a URL
 * costs two SHA-256s and an HMAC: the presigner keeps the day's signing key.
 */
function getSigner(config: S3Config, signer: S3Client) {
  const presigner = new S3RequestPresigner({
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    region: config.region,
    sha256: signer.config.sha256,
  });
  const endpoint = new URL(config.publicEndpoint);
  const root = endpoint.pathname.replace(/\/$/, "");
  const hostname = config.forcePathStyle ? endpoint.hostname : `${config.bucket}.${endpoint.hostname}`;
  const bucketPath = config.forcePathStyle ? `${root}/${escapeUri(config.bucket)}` : root;
  const port = endpoint.port ? `:${endpoint.port}` : "";

  return async (
    key: string,
    options: { expiresIn: number; signingDate: Date },
    { cacheControl, contentDisposition }: { cacheControl?: string; contentDisposition?: string },
  ) => {
    const signed = await presigner.presign(
      {
        method: "GET",
        protocol: endpoint.protocol,
        hostname,
        ...(port && { port: Number(endpoint.port) }),
        path: `${bucketPath}/${key.split("/").map(escapeUri).join("/")}`,
        query: {
          ...(cacheControl && { "response-cache-control": cacheControl }),
          ...(contentDisposition && { "response-content-disposition": contentDisposition }),
          "x-id": "GetObject",
        },
        headers: {},
      },
      options,
    );
    const query = Object.entries(signed.query ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) => `${escapeUri(name)}=${escapeUri(String(value))}`)
      .join("&");
    return `${endpoint.protocol}//${hostname}${port}${signed.path}?${query}`;
  };
}

/** URI encoding as SigV4 wants it: RFC 3986, which `encodeURIComponent` leaves five characters short of. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function guard<T>(key: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classify(key, error);
  }
}

function classify(key: string, error: unknown): Error {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    if (status === 404 || error.name === "NoSuchKey" || error.name === "NotFound") {
      return new ObjectNotFoundError(key);
    }
    if (status !== undefined && status < 500) return error;
  }
  return new StorageUnavailableError(`Object storage failed on ${key}: ${describe(error)}`, { cause: error });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/** What S3 allows of user metadata on an object: its names and values, in UTF-8. */
const MAX_METADATA_BYTES = 2048;

/**
 * S3 refuses a PUT whose user metadata is over 2 KB, and the local S3 server
 * does not: checked here, so that a name too long is a bug every test sees,
 * not a refusal only production meets.
 */
function assertMetadataFits(metadata: Record<string, string>): void {
  const bytes = Object.entries(metadata).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value),
    0,
  );
  if (bytes > MAX_METADATA_BYTES)
    throw new Error(`${bytes} bytes of user metadata: S3 takes at most ${MAX_METADATA_BYTES}`);
}
