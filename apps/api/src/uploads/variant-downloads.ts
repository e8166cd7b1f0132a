import {
  FORMAT_EXTENSIONS,
  uploadIdSchema,
  variantFormatSchema,
  variantNameSchema,
} from "@darkroom/contracts";
import { readManifest } from "@darkroom/storage";
import { Router } from "express";
import { AppError } from "../http/app-error";
import { clientRateLimit } from "../http/client-rate-limit";
import { ownerOf } from "../identity/owner";
import { ownedBy } from "./upload-snapshot";
import type { UploadRoutesDeps } from "./upload.routes";

/** How long a download's URL is good for: it is followed at once, by the redirect. */
const DOWNLOAD_URL_EXPIRY_S = 300;

/**
 * `GET /api/uploads/:id/download/:file`, `file` being a variant's size and
 * extension (`medium.webp`): the owner's browser saves that variant as a
 * file named after the photo (`beach-medium.webp`). A link to a variant's
 * `url` cannot do it: the `download` attribute is ignored for another
 * origin's URLs, and storage is another origin. So the API answers `302` to
 * storage, with a URL presigned as the snapshot's are, that also asks for
 * `Content-Disposition: attachment`: the bytes still go from storage to the
 * browser. Only the owner may: to anyone else the upload does not exist (404).
 */
export function variantDownloadRoutes({
  storage,
  readUpload,
  redis,
  uploads,
  redisKeyPrefix,
}: UploadRoutesDeps): Router {
  const router = Router();
  const readSnapshot = ownedBy(readUpload);
  const readLimit = clientRateLimit(redis, {
    what: "reads",
    points: uploads.readsPerMinute,
    windowS: 60,
    keyPrefix: redisKeyPrefix,
  });

  router.get("/api/uploads/:id/download/:file", readLimit, async (req, res) => {
    const [id, file] = [String(req.params.id), String(req.params.file)];
    const [, name, extension] = /^(\w+)\.(\w+)$/.exec(file) ?? [];
    const format = variantFormatSchema.options.find(
      (candidate) => FORMAT_EXTENSIONS[candidate] === extension,
    );
    if (!variantNameSchema.safeParse(name).success || !format)
      throw new AppError("NOT_FOUND", `"${file}" is not a variant: ask for one as "medium.webp".`);
    if (!uploadIdSchema.safeParse(id).success)
      throw new AppError("NOT_FOUND", `"${id}" is not an upload id.`);
    const snapshot = await readSnapshot(id, ownerOf(req));
    const manifest = snapshot?.status === "completed" ? await readManifest(storage, id) : undefined;
    const variant = manifest?.variants.find((stored) => stored.name === name && stored.format === format);
    if (!manifest || !variant) throw new AppError("NOT_FOUND");
    const url = await storage.signGet(variant.key, {
      expiresInS: DOWNLOAD_URL_EXPIRY_S,
      signedAt: new Date(),
      contentDisposition: attachment(`${baseName(manifest.original.filename)}-${name}.${extension}`),
    });
    res.set("Cache-Control", "no-store").redirect(302, url);
  });

  return router;
}

/** "beach" of "beach.jpg"; a name that is all extension stays whole. */
function baseName(filename: string): string {
  const dot = filename.lastIndexOf(".");
  return dot > 0 ? filename.slice(0, dot) : filename;
}

/**
 * `attachment`, with the file's name in ASCII: accents dropped (été → ete),
 * anything else outside printable ASCII, and quotes, as `_`. Not RFC 6266's
 * UTF-8 `filename*`: its `'` and `*` are signed by S3 as `%27` and `%2A`,
 * which the development S3 server (s3rver) signs as themselves, refusing
 * the URL.
 */
export function attachment(filename: string): string {
  const ascii = filename
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"`;
}
