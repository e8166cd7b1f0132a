import { errorBodySchema, type ErrorCode } from "@darkroom/contracts";

/**
 * How long to wait before each try again after a passing fault: 0.3 s,
 * doubling. The same steps as Uppy's own XHR fetcher takes, so that every
 * mode backs off alike.
 */
export const RETRY_DELAYS_MS: readonly number[] = [300, 600, 1_200, 2_400, 4_800];

/**
 * Codes that say "nothing happened, the same request may work in a moment":
 * Redis or S3 away, an instance shutting down, the same Idempotency-Key
 * still in flight, another request still writing the same tus upload. Capacity and limits (`QUEUE_FULL`, `SYNC_SATURATED`,
 * `RATE_LIMITED`) are shown instead: the server asks for tens of seconds,
 * and the user should know.
 */
const PASSING_CODES: ReadonlySet<ErrorCode> = new Set([
  "QUEUE_UNAVAILABLE",
  "STORAGE_UNAVAILABLE",
  "SHUTTING_DOWN",
  "IDEMPOTENCY_KEY_IN_USE",
  "UPLOAD_BUSY",
]);

/**
 * Whether an answer (or its absence) is worth the same request again. No
 * answer at all (status 0) is a network error. A gateway's 502/503/504
 * without the API's error body means the API was not reached. An answer
 * from the API is retried only for the codes above.
 */
export function isPassingFault(status: number, body: unknown): boolean {
  if (status === 0) return true;
  const answer = errorBodySchema.safeParse(body);
  if (answer.success) return PASSING_CODES.has(answer.data.error.code);
  return status === 502 || status === 503 || status === 504;
}

/** Whether the body is the API's own `{error: {code, message}}`. */
export function isApiErrorBody(body: unknown): boolean {
  return errorBodySchema.safeParse(body).success;
}

export function parseJson(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Resolves at once while the browser thinks it is online, else at its next `online` event. */
export function untilOnline(): Promise<void> {
  if (typeof navigator === "undefined" || navigator.onLine !== false) return Promise.resolve();
  return new Promise((resolve) => window.addEventListener("online", () => resolve(), { once: true }));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
