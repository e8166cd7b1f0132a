import { ERROR_CATALOGUE, type ErrorBody, type ErrorCode } from "@darkroom/contracts";

/** An error the runner answers with: a code from the catalogue in `contracts`, and its status. */
export class RunnerError extends Error {
  override readonly name = "RunnerError";
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CATALOGUE[code].message,
  ) {
    super(message);
    this.status = ERROR_CATALOGUE[code].status;
  }

  get body(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}
