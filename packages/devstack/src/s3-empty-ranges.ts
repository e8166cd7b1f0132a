// s3rver answers a byte range of an empty object with a 206 that promises one
// byte and sends none, so the client waits until it gives up. S3 and MinIO
// answer 416 InvalidRange, which is what clients of this server must handle.
import type { S3rverMiddleware, S3rverStore } from "@20minutes/s3rver";
import S3Error from "@20minutes/s3rver/lib/models/error.js";

/** Answers a ranged GET of an empty object as S3 does; passes every other request on. */
export function emptyObjectRanges(store: S3rverStore): S3rverMiddleware {
  return async (ctx, next) => {
    const [, bucket, key] = /^\/([^/]+)\/(.+)$/.exec(ctx.path) ?? [];
    if (ctx.method === "GET" && ctx.headers.range && bucket && key) {
      const metadata = await store
        .getMetadata(decodeURIComponent(bucket), decodeURIComponent(key))
        .catch(() => undefined);
      if (metadata && Number(metadata["content-length"]) === 0)
        throw new S3Error("InvalidRange", "The requested range is not satisfiable", {
          RangeRequested: ctx.headers.range,
          ActualObjectSize: "0",
        });
    }
    await next();
  };
}
