import { ERROR_CATALOGUE, errorCodeSchema, type ErrorDetail } from "@darkroom/contracts";

/**
 * A failed job keeps only a reason string. Darkroom writes it as
 * `CODE: message`, so the dead-letter set answers with a stable code.
 */
export function formatFailureReason({ code, message }: ErrorDetail): string {
  return `${code}: ${message}`;
}

/** BullMQ's own reason for a job whose worker died more often than `maxStalledCount` allows. */
const STALLED_TOO_OFTEN = /stalled more than allowable limit/;

/**
 * The code and message of a failed job. Reasons Darkroom did not write are
 * reported by code only: their text can name internal hosts.
 */
export function parseFailureReason(reason: string | undefined): ErrorDetail {
  const [, code, message] = /^([A-Z_]+): (.*)$/s.exec(reason ?? "") ?? [];
  const known = errorCodeSchema.safeParse(code);
  if (known.success && message !== undefined) return { code: known.data, message };
  const fallback = STALLED_TOO_OFTEN.test(reason ?? "") ? "JOB_STALLED" : "PROCESSING_FAILED";
  return { code: fallback, message: ERROR_CATALOGUE[fallback].message };
}
