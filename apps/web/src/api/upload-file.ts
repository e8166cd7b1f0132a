import type { UploadMode, UploadSnapshot } from "@darkroom/contracts";
import { NETWORK_ERROR, sessionStarted, type ApiErrorDetail } from "./client";

export type UploadResult = { ok: true; snapshot: UploadSnapshot } | { ok: false; error: ApiErrorDetail };

export interface UploadProgress {
  /** Percent of the file's bytes sent. */
  onSent: (percent: number) => void;
}

/**
 * The four ways this page sends a photo: as a form to the API, processed in
 * the background (`queued`) or before the answer (`sync`); straight to
 * storage with a URL the API signs (`direct`); with tus, able to continue
 * where it stopped (`resumable`).
 */
export type PageMode = UploadMode | "resumable";

/**
 * Uppy and its uploaders are half the page's code, and no page needs them
 * before a photo is chosen: they load on their own, early but after the page.
 */
const uploaders = () => import("./uppy-senders");

/** Fetches the uploaders while the user looks at the page. */
export function preloadUploaders(): void {
  uploaders().catch(() => undefined);
}

/**
 * Sends one file and tells what the server made of it. A queued, direct or
 * resumable upload is accepted before it is processed; a sync one answers
 * with its finished snapshot.
 */
export async function uploadFile(
  file: File,
  mode: PageMode,
  progress: UploadProgress,
): Promise<UploadResult> {
  let send: Awaited<ReturnType<typeof uploaders>>["send"];
  try {
    // The upload is the session's owner's: Uppy's requests do not go through `call`.
    await sessionStarted();
    ({ send } = await uploaders());
  } catch {
    return { ok: false, error: NETWORK_ERROR };
  }
  return send(file, mode, progress);
}
