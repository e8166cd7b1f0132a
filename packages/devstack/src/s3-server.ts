// Runs the local S3-compatible server in its own process, so that its work
// never shares an event loop with the API or the tests. devstack starts it.
import { parseArgs } from "node:util";
import S3rver from "@20minutes/s3rver";
import { emptyObjectRanges } from "./s3-empty-ranges";
import { multipartExtras } from "./s3-multipart-extras";
import { privateBucket } from "./s3-private-bucket";

const { values } = parseArgs({
  options: {
    directory: { type: "string" },
    bucket: { type: "string" },
    port: { type: "string", default: "0" },
  },
});
if (!values.directory || !values.bucket)
  throw new Error("usage: s3-server --directory D --bucket B [--port P]");

/**
 * Browsers PUT direct uploads straight to the bucket, from the web app's
 * origin: a development server allows any. `ETag` is exposed for multipart
 * clients, which read it from each part's answer.
 */
const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

const server = new S3rver({
  directory: values.directory,
  address: "127.0.0.1",
  port: Number(values.port),
  silent: true,
  // The AWS SDK signs with headers this server does not always reproduce.
  allowMismatchedSignatures: true,
  configureBuckets: [{ name: values.bucket, configs: [Buffer.from(CORS)] }],
});
// Just before s3rver's router, its last middleware, and after the one that
// turns a plain-object body into XML: what s3rver lacks, or does unlike S3.
server.middleware.splice(
  -1,
  0,
  privateBucket(server),
  multipartExtras(server.store),
  emptyObjectRanges(server.store),
);
const { port } = await server.run();
process.stdout.write(`listening ${port}\n`);

const close = () => void server.close().finally(() => process.exit(0));
process.once("SIGTERM", close);
process.once("SIGINT", close);
