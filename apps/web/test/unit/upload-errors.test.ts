import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/api/client";
import { isPassingFault } from "../../src/api/retry";
import { uploadErrorDetail } from "../../src/api/upload-errors";
import { describeError } from "../../src/uploads/describe";

const tooLarge = { error: { code: "FILE_TOO_LARGE", message: "The file is larger than the upload limit." } };
const queueFull = { error: { code: "QUEUE_FULL", message: "The queue is full. Try again later." } };

/** An XMLHttpRequest as Uppy leaves it once answered. */
const answered = (status: number, body: unknown, statusText = "") => ({
  readyState: 4,
  status,
  statusText,
  responseText: typeof body === "string" ? body : JSON.stringify(body),
});
const noAnswer = { readyState: 4, status: 0, statusText: "", responseText: "" };

/** tus-js-client's response wrapper. */
const tusResponse = (status: number, body: unknown) => ({
  getStatus: () => status,
  getBody: () => JSON.stringify(body),
});

describe("what a card says when Uppy gives up on an upload", () => {
  it("shows the API's own refusal of a form upload, although XHRUpload calls every failure a NetworkError", () => {
    const error = Object.assign(new Error("This looks like a network error"), {
      name: "NetworkError",
      isNetworkError: true,
      request: answered(413, tooLarge, "Payload Too Large"),
    });
    expect(describeError(uploadErrorDetail(error))).toBe(
      "Too large: The file is larger than the upload limit.",
    );
  });

  it("says the upload was interrupted when no answer came at all", () => {
    const error = Object.assign(new Error("network"), { request: noAnswer });
    expect(uploadErrorDetail(error).code).toBe("NETWORK");
    expect(uploadErrorDetail(new Error("no request at all")).code).toBe("NETWORK");
  });

  it("reads a tus refusal of the finished file from the response Uppy passes along, or from tus' own error", () => {
    const fromResponse = uploadErrorDetail(new Error("tus: unexpected response"), {
      status: 413,
      body: { xhr: answered(413, tooLarge) },
    });
    expect(fromResponse).toEqual(tooLarge.error);
    const fromError = Object.assign(new Error("tus"), { originalResponse: tusResponse(503, queueFull) });
    expect(uploadErrorDetail(fromError)).toEqual(queueFull.error);
  });

  it("treats a tus request that never got an answer as interrupted", () => {
    const cause = Object.assign(new Error("tus: failed to upload chunk"), { originalRequest: {} });
    const error = Object.assign(new Error("network"), { cause, request: noAnswer });
    expect(uploadErrorDetail(error).code).toBe("NETWORK");
  });

  it("passes on what the API said when signing or completing a direct upload", () => {
    const detail = { code: "UNSUPPORTED_MEDIA_TYPE", message: "Not an image." } as const;
    expect(uploadErrorDetail(new ApiError(detail))).toBe(detail);
  });

  it("tells a refusal by object storage from one by the API, and storage being unreachable from both", () => {
    const refused = Object.assign(new Error("S3 returned 403 – AccessDenied"), {
      name: "S3ServiceError",
      status: 403,
      serviceCode: "AccessDenied",
    });
    expect(describeError(uploadErrorDetail(refused))).toBe(
      "Refused by storage: Object storage did not take the file (403 AccessDenied).",
    );
    const unreachable = Object.assign(new Error("Network error during S3 request"), {
      name: "S3NetworkError",
    });
    expect(uploadErrorDetail(unreachable).code).toBe("NETWORK");
  });

  it("says what came back when an answer is not the API's", () => {
    const error = Object.assign(new Error("x"), {
      request: answered(500, "<html>oops</html>", "Server Error"),
    });
    expect(uploadErrorDetail(error)).toEqual({
      code: "INTERNAL",
      message: "The server gave an unexpected answer (500 Server Error).",
    });
  });
});

describe("which failures are sent again", () => {
  it("sends again after no answer, or a gateway that could not reach the API", () => {
    expect(isPassingFault(0, undefined)).toBe(true);
    expect(isPassingFault(502, "<html>Bad Gateway</html>")).toBe(true);
    expect(isPassingFault(504, undefined)).toBe(true);
  });

  it("sends again while Redis or S3 is away, an instance stops, or the same upload is still being written", () => {
    for (const code of ["QUEUE_UNAVAILABLE", "STORAGE_UNAVAILABLE", "SHUTTING_DOWN", "UPLOAD_BUSY"])
      expect(isPassingFault(503, { error: { code, message: "…" } })).toBe(true);
    expect(isPassingFault(409, { error: { code: "IDEMPOTENCY_KEY_IN_USE", message: "…" } })).toBe(true);
  });

  it("shows a refusal, a full queue and a rate limit instead of sending the file again", () => {
    expect(isPassingFault(413, tooLarge)).toBe(false);
    expect(isPassingFault(503, queueFull)).toBe(false);
    expect(isPassingFault(503, { error: { code: "SYNC_SATURATED", message: "…" } })).toBe(false);
    expect(isPassingFault(429, { error: { code: "RATE_LIMITED", message: "…" } })).toBe(false);
    expect(isPassingFault(500, { error: { code: "INTERNAL", message: "…" } })).toBe(false);
    expect(isPassingFault(400, undefined)).toBe(false);
  });
});
