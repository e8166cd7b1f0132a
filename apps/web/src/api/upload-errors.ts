import { ApiError, errorOf, NETWORK_ERROR, type ApiErrorDetail } from "./client";
import { parseJson } from "./retry";

/** What an answer looks like wherever Uppy keeps it: an XMLHttpRequest, or tus' wrapper of one. */
interface Answer {
  status: number;
  statusText: string;
  body: string | undefined;
}

/**
 * What to tell of an upload Uppy gave up on, from the `error` and
 * `response` of its `upload-error` event. Each uploader keeps the answer
 * somewhere else:
 * - `@uppy/xhr-upload` puts the XMLHttpRequest on `error.request`. Its error
 *   is a `NetworkError` whatever the status, a 415 included: only the
 *   status says whether an answer came.
 * - `@uppy/tus` gives `{status, body: {xhr}}` as the response, and the
 *   error is tus' `DetailedError` with `originalResponse`, or a
 *   `NetworkError` wrapping one.
 * - `@uppy/aws-s3` throws `S3ServiceError` (S3 answered) or
 *   `S3NetworkError`; neither is exported, so they are known by name. What
 *   our own signing and completing calls throw is an `ApiError`.
 */
export function uploadErrorDetail(error: unknown, response?: unknown): ApiErrorDetail {
  if (error instanceof ApiError) return error.detail;
  if (isNamed(error, "S3NetworkError")) return NETWORK_ERROR;
  if (isNamed(error, "S3ServiceError")) return storageRefused(error);
  const answer = answerOf(error, response);
  if (!answer || answer.status === 0) return NETWORK_ERROR;
  return errorOf(answer.status, answer.statusText, parseJson(answer.body));
}

function answerOf(error: unknown, response: unknown): Answer | undefined {
  return (
    fromXhr(field(error, "request")) ??
    fromXhr(field(field(response, "body"), "xhr")) ??
    fromTusResponse(field(error, "originalResponse")) ??
    fromTusResponse(field(field(error, "cause"), "originalResponse")) ??
    fromXhr(field(field(error, "cause"), "request"))
  );
}

function fromXhr(xhr: unknown): Answer | undefined {
  const status = field(xhr, "status");
  if (typeof status !== "number" || field(xhr, "readyState") !== 4) return undefined;
  const statusText = field(xhr, "statusText");
  const body = field(xhr, "responseText");
  return {
    status,
    statusText: typeof statusText === "string" ? statusText : "",
    body: typeof body === "string" ? body : undefined,
  };
}

/** tus-js-client's `HttpResponse`: `getStatus()` and `getBody()`. */
function fromTusResponse(response: unknown): Answer | undefined {
  const getStatus = field(response, "getStatus");
  const getBody = field(response, "getBody");
  if (typeof getStatus !== "function" || typeof getBody !== "function") return undefined;
  const status: unknown = getStatus.call(response);
  const body: unknown = getBody.call(response);
  if (typeof status !== "number") return undefined;
  return { status, statusText: "", body: typeof body === "string" ? body : undefined };
}

function storageRefused(error: object): ApiErrorDetail {
  const status = field(error, "status");
  const serviceCode = field(error, "serviceCode");
  const said = [status, serviceCode].filter((part) => typeof part === "number" || typeof part === "string");
  return {
    code: "STORAGE_REFUSED",
    message: `Object storage did not take the file${said.length > 0 ? ` (${said.join(" ")})` : ""}.`,
  };
}

function isNamed(error: unknown, name: string): error is object {
  return field(error, "name") === name;
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
