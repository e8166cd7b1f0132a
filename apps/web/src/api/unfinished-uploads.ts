import type { TusOptions } from "@uppy/tus";

/** Where tus-js-client keeps an upload it may resume, and finds it again. */
export type UrlStorage = NonNullable<
  TusOptions<Record<string, unknown>, Record<string, unknown>>["urlStorage"]
>;
type PreviousUpload = Awaited<ReturnType<UrlStorage["findAllUploads"]>>[number];

const PREFIX = "darkroom:resumable:";

/**
 * tus-js-client's own localStorage store, under a prefix of ours, so that
 * the page can list the uploads a closed tab or a reload left unfinished.
 * tus adds an entry when the server creates an upload, and removes it once
 * it has finished, or when the server no longer has it.
 */
export const resumableUrlStorage: UrlStorage = {
  findAllUploads: () => Promise.resolve(entries(PREFIX)),
  findUploadsByFingerprint: (fingerprint) => Promise.resolve(entries(`${PREFIX}${fingerprint}::`)),
  removeUpload: (key) => {
    localStorage.removeItem(key);
    return Promise.resolve();
  },
  addUpload: (fingerprint, upload) => {
    const key = `${PREFIX}${fingerprint}::${crypto.getRandomValues(new Uint32Array(1))[0]}`;
    localStorage.setItem(key, JSON.stringify(upload));
    return Promise.resolve(key);
  },
};

function entries(prefix: string): PreviousUpload[] {
  const found: PreviousUpload[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key?.startsWith(prefix)) continue;
    try {
      found.push({ ...(JSON.parse(localStorage.getItem(key) ?? "") as PreviousUpload), urlStorageKey: key });
    } catch {
      // A damaged entry must not stop an upload.
    }
  }
  return found;
}

/** A resumable upload a closed tab or a reload left unfinished, which the same file chosen again continues. */
export interface UnfinishedUpload {
  filename: string;
  bytes: number;
  /** How much of it the server has. */
  sentPercent: number;
}

/**
 * The unfinished uploads this browser remembers, as the server knows them
 * (HEAD). Those the server no longer has are forgotten. One whose bytes
 * all arrived but whose last answer was lost is finished by that HEAD, and
 * listed in the gallery instead.
 */
export async function unfinishedUploads(): Promise<UnfinishedUpload[]> {
  const remembered = await resumableUrlStorage.findAllUploads();
  const known = await Promise.all(remembered.map(ask));
  return known.filter((upload) => upload !== undefined);
}

async function ask(upload: PreviousUpload): Promise<UnfinishedUpload | undefined> {
  const forget = () => void resumableUrlStorage.removeUpload(upload.urlStorageKey);
  if (!upload.uploadUrl || !upload.size) return forget();
  let response: Response;
  try {
    response = await fetch(upload.uploadUrl, { method: "HEAD", headers: { "Tus-Resumable": "1.0.0" } });
  } catch {
    return undefined;
  }
  if (response.status === 404 || response.status === 410) return forget();
  const offset = Number(response.headers.get("Upload-Offset"));
  if (!response.ok || !Number.isFinite(offset)) return undefined;
  if (offset >= upload.size) return forget();
  return {
    filename: upload.metadata.filename ?? "A photo",
    bytes: upload.size,
    sentPercent: Math.floor((offset / upload.size) * 100),
  };
}
