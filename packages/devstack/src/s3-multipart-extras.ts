// s3rver stores multipart uploads but cannot list their parts, abort them or
// list them, and @tus/s3-store needs all three: ListParts on every PATCH and
// HEAD, AbortMultipartUpload and ListMultipartUploads to terminate and expire
// uploads. This middleware answers them from s3rver's own directory layout:
// `{uploads}/{uploadId}/` holds `key`, `metadata`, and `{n}` + `{n}.md5` per part.
// Path-style URLs only, which is how every client here is configured.
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { S3rverMiddleware, S3rverStore } from "@20minutes/s3rver";
import S3Error from "@20minutes/s3rver/lib/models/error.js";

const XMLNS = { xmlns: "http://s3.amazonaws.com/doc/2006-03-01/" };

interface StoredUpload {
  key: string;
  uploadId: string;
  initiated: Date;
}

/** S3 orders keys by their bytes, not by locale. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function operationOf(method: string, bucket: string, key: string, query: URLSearchParams) {
  if (key && query.has("uploadId")) {
    if (method === "GET") return "ListParts";
    if (method === "DELETE") return "AbortMultipartUpload";
  }
  if (bucket && !key && method === "GET" && query.has("uploads")) return "ListMultipartUploads";
  return undefined;
}

/** Answers ListParts, AbortMultipartUpload and ListMultipartUploads; passes every other request on. */
export function multipartExtras(store: S3rverStore): S3rverMiddleware {
  const uploadsDir = (bucket: string) => store.getResourcePath(bucket, undefined, "uploads");

  async function readUpload(bucket: string, uploadId: string): Promise<StoredUpload | undefined> {
    // s3rver's ids are hex; anything else must not become a path.
    if (!/^[0-9a-f]+$/.test(uploadId)) return undefined;
    const keyFile = join(uploadsDir(bucket), uploadId, "key");
    try {
      const [key, { mtime }] = await Promise.all([readFile(keyFile, "utf8"), stat(keyFile)]);
      return { key, uploadId, initiated: mtime };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async function requireUpload(bucket: string, key: string, uploadId: string): Promise<string> {
    const upload = await readUpload(bucket, uploadId);
    if (upload?.key !== key) {
      throw new S3Error(
        "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
        { UploadId: uploadId },
      );
    }
    return join(uploadsDir(bucket), uploadId);
  }

  async function listParts(bucket: string, key: string, query: URLSearchParams) {
    const uploadId = query.get("uploadId") ?? "";
    const dir = await requireUpload(bucket, key, uploadId);
    const marker = Number(query.get("part-number-marker") ?? 0);
    const maxParts = Math.min(Number(query.get("max-parts") ?? 1000), 1000);

    const numbers = (await readdir(dir))
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((number) => number > marker)
      .sort((a, b) => a - b);
    const page = numbers.slice(0, maxParts);
    const parts = await Promise.all(
      page.map(async (number) => {
        const file = join(dir, String(number));
        const [{ size, mtime }, md5] = await Promise.all([stat(file), readFile(`${file}.md5`, "utf8")]);
        return { PartNumber: number, LastModified: mtime.toISOString(), ETag: `"${md5}"`, Size: size };
      }),
    );
    return {
      ListPartsResult: {
        "@": XMLNS,
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        PartNumberMarker: marker,
        NextPartNumberMarker: page.at(-1) ?? marker,
        MaxParts: maxParts,
        IsTruncated: numbers.length > page.length,
        Part: parts,
      },
    };
  }

  async function listUploads(bucket: string, query: URLSearchParams) {
    const prefix = query.get("prefix") ?? "";
    const keyMarker = query.get("key-marker") ?? "";
    const uploadIdMarker = query.get("upload-id-marker") ?? "";
    const maxUploads = Math.min(Number(query.get("max-uploads") ?? 1000), 1000);

    const ids = await readdir(uploadsDir(bucket)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [];
      throw error;
    });
    // An UploadPart with an unknown id leaves a directory without `key`: not an upload.
    const uploads = (await Promise.all(ids.map((id) => readUpload(bucket, id))))
      .filter((upload) => upload !== undefined)
      .filter((upload) => upload.key.startsWith(prefix))
      .sort(
        (a, b) =>
          compare(a.key, b.key) ||
          a.initiated.getTime() - b.initiated.getTime() ||
          compare(a.uploadId, b.uploadId),
      );
    // As S3: after key-marker, or after the marked upload of that key.
    const marked = uploads.findIndex((u) => u.key === keyMarker && u.uploadId === uploadIdMarker);
    const rest =
      marked !== -1
        ? uploads.slice(marked + 1)
        : uploads.filter((u) => keyMarker === "" || u.key > keyMarker);
    const page = rest.slice(0, maxUploads);
    return {
      ListMultipartUploadsResult: {
        "@": XMLNS,
        Bucket: bucket,
        KeyMarker: keyMarker,
        UploadIdMarker: uploadIdMarker,
        NextKeyMarker: page.at(-1)?.key ?? "",
        NextUploadIdMarker: page.at(-1)?.uploadId ?? "",
        Prefix: prefix,
        MaxUploads: maxUploads,
        IsTruncated: rest.length > page.length,
        Upload: page.map((u) => ({ Key: u.key, UploadId: u.uploadId, Initiated: u.initiated.toISOString() })),
      },
    };
  }

  return async function multipartExtrasMiddleware(ctx, next) {
    const [, rawBucket = "", rawKey = ""] = /^\/([^/]+)\/?(.*)$/.exec(ctx.path) ?? [];
    const query = new URLSearchParams(ctx.querystring);
    const operation = operationOf(ctx.method, rawBucket, rawKey, query);
    if (!operation) return next();
    const [bucket, key] = [decodeURIComponent(rawBucket), decodeURIComponent(rawKey)];

    if (!(await store.getBucket(bucket))) {
      throw new S3Error("NoSuchBucket", "The specified bucket does not exist", { BucketName: bucket });
    }
    switch (operation) {
      case "ListParts":
        ctx.body = await listParts(bucket, key, query);
        return;
      case "AbortMultipartUpload":
        await rm(await requireUpload(bucket, key, query.get("uploadId") ?? ""), { recursive: true });
        ctx.status = 204;
        return;
      case "ListMultipartUploads":
        ctx.body = await listUploads(bucket, query);
        return;
    }
  };
}
