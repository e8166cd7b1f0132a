import type { ObjectStorage } from "@darkroom/storage";

/** The URL a variant's bytes are fetched at, from its key. */
export type VariantUrl = (key: string) => Promise<string>;

/**
 * Variants are fetched from storage itself, by URLs presigned for their keys:
 * the API is out of the download path, and only the owner gets the URLs, as
 * only the owner reads the snapshots they are in.
 *
 * A URL is signed as of the start of its window, half its life, so every
 * snapshot read in that window carries the same URL and the browser's cached
 * image serves it. Any URL handed out has at least that half left, and the
 * browser keeps the image (a variant never changes) privately for no longer.
 */
export function variantUrls(storage: ObjectStorage, expiryS: number, now = Date.now): VariantUrl {
  const windowS = Math.floor(expiryS / 2);
  const cacheControl = `private, max-age=${windowS}, immutable`;
  return (key) => {
    const windowStart = Math.floor(now() / 1000 / windowS) * windowS;
    return storage.signGet(key, {
      expiresInS: expiryS,
      signedAt: new Date(windowStart * 1000),
      cacheControl,
    });
  };
}
