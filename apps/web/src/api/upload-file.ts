import {
  acceptedUploadSchema,
  uploadSnapshotSchema,
  type AcceptedUpload,
  type UploadMode,
  type UploadSnapshot,
} from "@darkroom/contracts";
import { errorOf, NETWORK_ERROR, type ApiErrorDetail } from "./client";

export type UploadResult = { ok: true; snapshot: UploadSnapshot } | { ok: false; error: ApiErrorDetail };

export interface UploadProgress {
  /** Percent of the file's bytes sent. */
  onSent: (percent: number) => void;
}

/** The modes whose upload is a form posted to the API; this page does not offer `direct` yet. */
export type FormMode = Extract<UploadMode, "queued" | "sync">;

const ENDPOINTS: Record<FormMode, string> = { queued: "/api/uploads", sync: "/api/uploads/sync" };

/**
 * Posts one file. A queued upload answers at once, and its snapshot says
 * `queued`; a sync one answers with its finished snapshot. XMLHttpRequest
 * rather than fetch: only XHR reports how many bytes of a body have been sent.
 */
export function uploadFile(file: File, mode: FormMode, { onSent }: UploadProgress): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", ENDPOINTS[mode]);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onSent(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => resolve(readAnswer(xhr.status, xhr.statusText, parseJson(xhr.responseText)));
    xhr.onerror = () => resolve({ ok: false, error: NETWORK_ERROR });

    const body = new FormData();
    body.append("file", file);
    xhr.send(body);
  });
}

function readAnswer(status: number, statusText: string, json: unknown): UploadResult {
  if (status === 202) {
    const accepted = acceptedUploadSchema.safeParse(json);
    if (accepted.success) return { ok: true, snapshot: queuedSnapshot(accepted.data) };
  }
  if (status === 201) {
    const finished = uploadSnapshotSchema.safeParse(json);
    if (finished.success) return { ok: true, snapshot: finished.data };
  }
  return { ok: false, error: errorOf(status, statusText, json) };
}

/** What a 202 says, until the first snapshot arrives. */
function queuedSnapshot(accepted: AcceptedUpload): UploadSnapshot {
  return { id: accepted.id, mode: "queued", status: "queued", stage: "queued", progress: 0, variants: [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
