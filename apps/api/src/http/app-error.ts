import { ERROR_CATALOGUE, type ErrorCode } from "@darkroom/contracts";

/** An error with a stable code from the catalogue in `contracts`; its HTTP status comes from there too. */
export class AppError extends Error {
  override readonly name = "AppError";
  readonly status: number;
  /** Sent as `Retry-After`: when the condition may have passed. */
  readonly retryAfterS: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CATALOGUE[code].message,
    options?: ErrorOptions & { retryAfterS?: number },
  ) {
    super(message, options);
    const entry: { status: number; retryAfterS?: number } = ERROR_CATALOGUE[code];
    this.status = entry.status;
    this.retryAfterS = options?.retryAfterS ?? entry.retryAfterS;
  }
}
