import {
  acceptedUploadSchema,
  benchRunListSchema,
  benchRunSchema,
  currentSessionSchema,
  directUploadSchema,
  errorBodySchema,
  failedJobListSchema,
  queueCountsSchema,
  recentUploadsSchema,
  uploadSnapshotSchema,
  type AcceptedUpload,
  type BenchRun,
  type BenchRunRequest,
  type CurrentSession,
  type DirectUpload,
  type DirectUploadRequest,
  type ErrorDetail,
  type FailedJobList,
  type QueueCounts,
  type RecentUploads,
  type UploadSnapshot,
} from "@darkroom/contracts";
import { z } from "zod";
import { isPassingFault, RETRY_DELAYS_MS, sleep, untilOnline } from "./retry";

/**
 * An error answer of the API; `NETWORK` when no answer came back at all;
 * `STORAGE_REFUSED` when object storage, not the API, refused a direct upload.
 */
export type ApiErrorDetail = ErrorDetail | { code: "NETWORK" | "STORAGE_REFUSED"; message: string };

export class ApiError extends Error {
  override readonly name = "ApiError";

  /** `passing`: the same request may well succeed in a moment (see `isPassingFault`). */
  constructor(
    readonly detail: ApiErrorDetail,
    readonly passing = false,
  ) {
    super(detail.message);
  }
}

export const NETWORK_ERROR: ApiErrorDetail = {
  code: "NETWORK",
  message: "The connection to the server was lost.",
};

/** What to tell of anything a call to the API threw. */
export function errorDetailOf(error: unknown): ApiErrorDetail {
  return error instanceof ApiError ? error.detail : NETWORK_ERROR;
}

/** The error a failed answer carries, or a stand-in that says what came back instead. */
export function errorOf(status: number, statusText: string, json: unknown): ApiErrorDetail {
  const body = errorBodySchema.safeParse(json);
  return body.success
    ? body.data.error
    : { code: "INTERNAL", message: `The server gave an unexpected answer (${status} ${statusText}).` };
}

let session: Promise<CurrentSession | undefined> | undefined;

/**
 * The browser's session (its cookie), started before anything else is sent:
 * calls made at once by a browser without one would each start a session,
 * each its own owner, and the browser would keep only the last cookie.
 * `undefined` when the API could not be asked; the next call asks again.
 */
export function sessionStarted(): Promise<CurrentSession | undefined> {
  const forget = () => void (session = undefined);
  session ??= fetch("/api/sessions/current")
    .then(async (response) => (response.ok ? currentSessionSchema.parse(await response.json()) : forget()))
    .catch(forget);
  return session;
}

/** Ends the browser's session (signing out, if signed in); the page then starts anew. */
export async function sessionEnded(): Promise<void> {
  await fetch("/api/sessions/current", { method: "DELETE" });
  session = undefined;
}

/** Calls the API and checks its answer against the contract. */
async function call<T>(path: string, schema: z.ZodType<T>, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    await sessionStarted();
    response = await fetch(path, init);
  } catch {
    throw new ApiError(NETWORK_ERROR, true);
  }
  const json: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (!response.ok)
    throw new ApiError(
      errorOf(response.status, response.statusText, json),
      isPassingFault(response.status, json),
    );
  return schema.parse(json);
}

/**
 * `call`, tried again after a passing fault, with backoff, and only once
 * the browser is back online. Only for calls that are safe to repeat.
 */
async function callRetrying<T>(path: string, schema: z.ZodType<T>, init?: RequestInit): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call(path, schema, init);
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (!(error instanceof ApiError && error.passing) || delay === undefined) throw error;
      await untilOnline();
      await sleep(delay);
    }
  }
}

export const api = {
  /** A page of the caller's uploads, newest first: the first, or the one `cursor` names. */
  uploadsPage: (limit: number, cursor?: string): Promise<RecentUploads> =>
    call(
      `/api/uploads?${new URLSearchParams({ limit: String(limit), ...(cursor !== undefined && { cursor }) })}`,
      recentUploadsSchema,
    ),
  upload: (id: string): Promise<UploadSnapshot> =>
    call(`/api/uploads/${encodeURIComponent(id)}`, uploadSnapshotSchema),
  /** An upload just sent: it is there, so a passing fault is tried again. */
  uploadJustSent: (id: string): Promise<UploadSnapshot> =>
    callRetrying(`/api/uploads/${encodeURIComponent(id)}`, uploadSnapshotSchema),
  /** Signing reserves nothing that lasts: a repeat after a lost answer costs an unused URL. */
  signDirectUpload: (request: DirectUploadRequest): Promise<DirectUpload> =>
    callRetrying("/api/uploads/direct", directUploadSchema, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    }),
  /** Completing twice answers twice the same, so it is tried again freely. */
  completeDirectUpload: (completeUrl: string): Promise<AcceptedUpload> =>
    callRetrying(completeUrl, acceptedUploadSchema, { method: "POST" }),
  /** Only its owner may: to anyone else it answers 404, as an upload that does not exist. */
  deleteUpload: (id: string): Promise<undefined> =>
    call(`/api/uploads/${encodeURIComponent(id)}`, z.undefined(), { method: "DELETE" }),
  queueCounts: (): Promise<QueueCounts> => call("/api/jobs/counts", queueCountsSchema),
  failedJobs: (): Promise<FailedJobList> => call("/api/jobs/failed?limit=100", failedJobListSchema),
  retryJob: (id: string): Promise<AcceptedUpload> =>
    call(`/api/jobs/${encodeURIComponent(id)}/retry`, acceptedUploadSchema, { method: "POST" }),
  discardJob: (id: string): Promise<undefined> =>
    call(`/api/jobs/${encodeURIComponent(id)}`, z.undefined(), { method: "DELETE" }),
  /** From the benchmark runner, in development; a deployment's API answers 404. */
  benchRuns: (): Promise<BenchRun[]> => call("/api/bench/runs", benchRunListSchema).then((body) => body.runs),
  startBenchRun: (request: BenchRunRequest): Promise<BenchRun> =>
    call("/api/bench/runs", benchRunSchema, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    }),
};
