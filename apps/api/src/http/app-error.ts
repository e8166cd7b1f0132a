import { ERROR_CATALOGUE, type ErrorCode } from "@darkroom/contracts";

/** An error with a stable code from the catalogue in `contracts`; its HTTP status comes from there too. */
export class AppError extends Error {
  override readonly name = "AppError";
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CATALOGUE[code].message,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.status = ERROR_CATALOGUE[code].status;
  }
}
