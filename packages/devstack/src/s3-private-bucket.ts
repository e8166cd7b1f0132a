// s3rver is told to accept any signature (`allowMismatchedSignatures`): the
// AWS SDK signs its own requests with headers s3rver does not always
// reproduce. It also serves anyone who sends no signature at all. S3 and
// MinIO do neither, and the presigned URLs the API hands out (variants to
// their owner, direct uploads) are only as private as storage makes them.
// Here a presigned URL is checked as S3 checks it (s3rver's own SigV4 check
// and expiry, made strict for that request), and a request with no
// credentials is refused: the bucket is private, as in production.
import { AsyncLocalStorage } from "node:async_hooks";
import type S3rver from "@20minutes/s3rver";
import type { S3rverMiddleware } from "@20minutes/s3rver";
import S3Error from "@20minutes/s3rver/lib/models/error.js";

/** Verifies presigned requests strictly and refuses anonymous ones; passes every other request on. */
export function privateBucket(server: S3rver): S3rverMiddleware {
  const presigned = new AsyncLocalStorage<boolean>();
  // s3rver reads this of every request it authenticates, while this middleware's `next` runs.
  Object.defineProperty(server, "allowMismatchedSignatures", { get: () => presigned.getStore() !== true });
  return async (ctx, next) => {
    const query = new URLSearchParams(ctx.querystring);
    if (query.has("X-Amz-Signature") || query.has("Signature")) return presigned.run(true, next);
    // A CORS preflight carries no credentials, at S3 as here.
    if (ctx.headers.authorization === undefined && ctx.method !== "OPTIONS")
      throw new S3Error("AccessDenied", "Access Denied");
    await next();
  };
}
