import { apiSessionSchema, directUploadSchema, serverTimingDurations } from "@darkroom/contracts";
import { Agent, FormData, request } from "undici";
import type { BenchPhoto } from "./photos";
import { runPool } from "./run-pool";

/**
 * A direct upload's steps, ms: `ms` is the API's share, sign plus complete.
 * The client times each call; the API says in `Server-Timing` how long it
 * spent on it, and on its check of the stored object.
 */
export interface DirectSteps {
  signMs: number;
  completeMs: number;
  /** The client's whole time: sign, PUT to S3, complete. */
  totalMs: number;
  /** Absent when the API sends no `Server-Timing`. */
  signInApiMs?: number;
  completeInApiMs?: number;
  checkInApiMs?: number;
}

export type Outcome =
  | {
      kind: "ok";
      status: number;
      ms: number;
      body: unknown;
      location?: string;
      /** The answer's `Server-Timing`, by stage. */
      serverTiming: Record<string, number>;
      direct?: DirectSteps;
    }
  | { kind: "status"; status: number; ms: number }
  | { kind: "timeout"; ms: number }
  | { kind: "connection"; ms: number; message: string };

/** Where a mode's first request goes, over which connections, as whom. */
interface Api {
  agent: Agent;
  url: string;
  auth: Record<string, string>;
}

export interface LoadOptions {
  url: string;
  /** Who the uploads belong to: an API token from `startApiSession`. */
  token: string;
  photos: readonly BenchPhoto[];
  count: number;
  concurrency: number;
  timeoutMs: number;
  /** Called as each upload ends, with when it started (performance.now()). */
  onOutcome?: (outcome: Outcome, startedAt: number, index: number) => void;
}

/**
 * Sends `count` photos, `concurrency` at a time, each over its own
 * connection, and records how each one ended: `multipart` posts each to
 * `url`; `direct` signs at `url`, PUTs the photo to storage, then completes;
 * `resumable` creates a tus upload at `url`, then sends it in one PATCH, as
 * a tus client does when nothing cuts it.
 */
export async function sendUploads(
  how: "multipart" | "direct" | "resumable",
  { url, token, photos, count, concurrency, timeoutMs, onOutcome }: LoadOptions,
) {
  const agent = new Agent({ connections: concurrency, headersTimeout: 0, bodyTimeout: 0 });
  // To the API only: a signed PUT to storage carries its credentials in its URL.
  const api: Api = { agent, url, auth: { authorization: `Bearer ${token}` } };
  const outcomes: Outcome[] = [];
  try {
    await runPool(count, concurrency, async (index) => {
      const photo = photos[index % photos.length]!;
      const startedAt = performance.now();
      const signal = AbortSignal.timeout(timeoutMs);
      const outcome =
        how === "direct"
          ? await sendDirect(api, photo, signal)
          : how === "resumable"
            ? await sendResumable(api, photo, signal)
            : await send(agent, { method: "POST", url, headers: api.auth, body: form(photo) }, signal);
      outcomes[index] = outcome;
      onOutcome?.(outcome, startedAt, index);
    });
  } finally {
    await agent.close();
  }
  return outcomes;
}

function form(photo: BenchPhoto): FormData {
  const body = new FormData();
  body.append("file", new Blob([photo.data], { type: "image/jpeg" }), photo.name);
  return body;
}

/** Sign, PUT to storage, complete: the outcome of the first step that did not succeed, or of complete. */
async function sendDirect(
  { agent, url, auth }: Api,
  photo: BenchPhoto,
  signal: AbortSignal,
): Promise<Outcome> {
  const startedAt = performance.now();
  const signing = await send(
    agent,
    {
      method: "POST",
      url,
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ filename: photo.name, bytes: photo.data.byteLength, contentType: "image/jpeg" }),
    },
    signal,
  );
  if (signing.kind !== "ok") return signing;
  const { id, upload, completeUrl } = directUploadSchema.parse(signing.body);
  const put = await send(
    agent,
    { method: "PUT", url: upload.url, headers: upload.headers, body: photo.data },
    signal,
  );
  if (put.kind !== "ok") return { ...put, ms: signing.ms + put.ms };
  const completing = await send(
    agent,
    { method: "POST", url: new URL(completeUrl, url).href, headers: auth },
    signal,
  );
  const apiMs = signing.ms + completing.ms;
  if (completing.kind !== "ok") return { ...completing, ms: apiMs };
  const direct = {
    signMs: signing.ms,
    completeMs: completing.ms,
    totalMs: performance.now() - startedAt,
    signInApiMs: signing.serverTiming.total,
    completeInApiMs: completing.serverTiming.total,
    checkInApiMs: completing.serverTiming.check,
  };
  return { ...completing, ms: apiMs, body: { id }, direct };
}

/** Create, then one PATCH of the whole file: the response time is both, the API carrying the bytes. */
async function sendResumable(
  { agent, url, auth }: Api,
  photo: BenchPhoto,
  signal: AbortSignal,
): Promise<Outcome> {
  const tus = { "tus-resumable": "1.0.0" };
  const creating = await send(
    agent,
    {
      method: "POST",
      url,
      headers: {
        ...auth,
        ...tus,
        "upload-length": String(photo.data.byteLength),
        "upload-metadata": `filename ${Buffer.from(photo.name).toString("base64")}`,
      },
    },
    signal,
  );
  if (creating.kind !== "ok" || !creating.location) return creating;
  const sending = await send(
    agent,
    {
      method: "PATCH",
      url: new URL(creating.location, url).href,
      headers: { ...auth, ...tus, "upload-offset": "0", "content-type": "application/offset+octet-stream" },
      body: photo.data,
    },
    signal,
  );
  const ms = creating.ms + sending.ms;
  if (sending.kind !== "ok") return { ...sending, ms };
  return { ...sending, ms, body: { id: creating.location.split("/").pop() } };
}

async function send(
  agent: Agent,
  {
    method,
    url,
    headers,
    body,
  }: {
    method: "POST" | "PUT" | "PATCH";
    url: string;
    headers?: Record<string, string>;
    body?: FormData | string | Buffer;
  },
  signal: AbortSignal,
): Promise<Outcome> {
  const startedAt = performance.now();
  const elapsed = () => performance.now() - startedAt;
  try {
    const response = await request(url, { method, headers, body, dispatcher: agent, signal });
    // S3's answer to a PUT has no JSON body.
    const answer: unknown = await response.body.json().catch(() => undefined);
    const ms = elapsed();
    return response.statusCode < 300
      ? {
          kind: "ok",
          status: response.statusCode,
          ms,
          body: answer,
          location: headerOf(response.headers.location),
          serverTiming: serverTimingDurations(response.headers["server-timing"]),
        }
      : { kind: "status", status: response.statusCode, ms };
  } catch (error) {
    const ms = elapsed();
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
      return { kind: "timeout", ms };
    }
    return { kind: "connection", ms, message: error instanceof Error ? error.message : String(error) };
  }
}

const headerOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** A token of a new owner, whom every upload of the run belongs to, as any API client starts. */
export async function startApiSession(apiUrl: string): Promise<string> {
  const response = await request(`${apiUrl}/api/sessions`, { method: "POST" });
  if (response.statusCode !== 201)
    throw new Error(`POST /api/sessions answered ${response.statusCode}: ${await response.body.text()}`);
  return apiSessionSchema.parse(await response.body.json()).token;
}
