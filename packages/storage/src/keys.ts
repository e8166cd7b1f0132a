import { FORMAT_EXTENSIONS, type VariantFormat, type VariantName } from "@darkroom/contracts";

/** Where each object of an upload lives in the bucket. */
export const objectKeys = {
  /** The prefix of every original. */
  originals: "originals/",
  /** The prefix of every manifest. */
  manifests: "manifests/",
  original: (id: string) => `${objectKeys.originals}${id}`,
  /** The prefix every variant of the upload shares. */
  variantsOf: (id: string) => `variants/${id}/`,
  variant: (id: string, name: VariantName, format: VariantFormat) =>
    `${objectKeys.variantsOf(id)}${name}.${FORMAT_EXTENSIONS[format]}`,
  manifest: (id: string) => `${objectKeys.manifests}${id}.json`,
  /** The upload id in the key of an original or a manifest. */
  uploadIdOf: (key: string) => /^(?:originals|manifests)\/([^/]+?)(?:\.json)?$/.exec(key)?.[1],
};

/**
 * What an original carries besides its bytes, in its S3 metadata: enough to
 * rebuild its job from the object alone, should the job never have been made.
 * Metadata travels as HTTP headers, so the name is percent-encoded.
 */
export const originalMetadata = {
  of: (filename: string, owner: string): Record<string, string> => ({
    filename: encodedWithin(filename, MAX_FILENAME_METADATA),
    owner,
  }),
  filename(metadata: Record<string, string>): string {
    try {
      return decodeURIComponent(metadata.filename ?? "") || "photo";
    } catch {
      return "photo";
    }
  },
  owner: (metadata: Record<string, string>): string | undefined => metadata.owner,
};

/** S3 keeps at most 2 KB of user metadata per object: the name takes at most half. */
const MAX_FILENAME_METADATA = 1024;
const ELLIPSIS = encodeURIComponent("…");

/**
 * `text` percent-encoded, in at most `max` characters: cut at a whole
 * character, with an ellipsis, when it is longer. The job and the manifest
 * keep the whole name; this copy is only the reconciler's.
 */
function encodedWithin(text: string, max: number): string {
  const whole = encodeURIComponent(text);
  if (whole.length <= max) return whole;
  let kept = "";
  for (const character of text) {
    const next = kept + encodeURIComponent(character);
    if (next.length + ELLIPSIS.length > max) break;
    kept = next;
  }
  return kept + ELLIPSIS;
}

/**
 * The tag of an original whose upload failed for good. It is kept for a retry
 * a while, then expired by a lifecycle rule on the bucket (docker-compose.yml
 * sets one up in MinIO). A retry that completes removes the tag.
 */
export const failedOriginalTag = { key: "darkroom-state", value: "failed" } as const;
