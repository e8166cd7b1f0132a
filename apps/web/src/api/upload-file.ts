import {
  acceptedUploadSchema,
  errorBodySchema,
  type AcceptedUpload,
  type ErrorDetail,
} from "@darkroom/contracts";

/** An error from the API, or `NETWORK` when no answer came back at all. */
export interface UploadError {
  code: ErrorDetail["code"] | "NETWORK";
  message: string;
}

export type UploadResult = { ok: true; accepted: AcceptedUpload } | { ok: false; error: UploadError };

/**
 * Posts one file to the queued endpoint. XMLHttpRequest rather than fetch:
 * only XHR reports how many bytes of a request body have been sent.
 */
export function uploadFile(file: File, onProgress: (percent: number) => void): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/uploads");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => resolve(readAnswer(xhr.status, xhr.statusText, xhr.responseText));
    xhr.onerror = () =>
      resolve({ ok: false, error: { code: "NETWORK", message: "The connection to the server was lost." } });

    const body = new FormData();
    body.append("file", file);
    xhr.send(body);
  });
}

function readAnswer(status: number, statusText: string, text: string): UploadResult {
  const json = parseJson(text);
  if (status === 202) {
    const accepted = acceptedUploadSchema.safeParse(json);
    if (accepted.success) return { ok: true, accepted: accepted.data };
  }
  const body = errorBodySchema.safeParse(json);
  if (body.success) return { ok: false, error: body.data.error };
  return {
    ok: false,
    error: { code: "INTERNAL", message: `The server gave an unexpected answer (${status} ${statusText}).` },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
