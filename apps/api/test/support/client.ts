import {
  acceptedUploadSchema,
  apiSessionSchema,
  currentSessionSchema,
  errorBodySchema,
  uploadSnapshotSchema,
  type AcceptedUpload,
  type ErrorBody,
  type UploadSnapshot,
} from "@darkroom/contracts";
import { expect } from "vitest";
import { bearerToken } from "../../src/identity/identify";

export const QUEUED_ENDPOINT = "/api/uploads";
export const SYNC_ENDPOINT = "/api/uploads/sync";

/** Someone calling the API: where it is, and the headers that say who they are. */
export interface Caller {
  url: string;
  headers: Record<string, string>;
}

/** A new owner with an API token of its own, as an API client starts. */
export async function newCaller(url: string): Promise<Caller> {
  const response = await fetch(`${url}/api/sessions`, { method: "POST" });
  expect(response.status).toBe(201);
  const { token } = apiSessionSchema.parse(await response.json());
  return { url, headers: { authorization: `Bearer ${token}` } };
}

/** `fetch` of a path of the API, as `caller`; `init`'s headers add to the caller's. */
export const call = (caller: Caller, path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(new URL(path, caller.url), {
    ...init,
    headers: { ...caller.headers, ...(init.headers as Record<string, string> | undefined) },
  });

/** The API token `caller` sends, for a socket.io handshake's `auth: { token }`. */
export function tokenOf(caller: Caller): string {
  const token = bearerToken(caller.headers.authorization);
  if (token === undefined) throw new Error("This caller has no API token");
  return token;
}

/** What a socket.io client sends to be `caller`: its token as `auth: { token }`, or its cookie. */
export function socketCredentials(caller: Caller) {
  return caller.headers.authorization
    ? { auth: { token: tokenOf(caller) } }
    : { extraHeaders: { cookie: caller.headers.cookie ?? "" } };
}

/** The id of the owner `caller` acts for. */
export async function ownerIdOf(caller: Caller): Promise<string> {
  const response = await call(caller, "/api/sessions/current");
  expect(response.status).toBe(200);
  return currentSessionSchema.parse(await response.json()).owner;
}

export async function postUpload(
  caller: Caller,
  bytes: Buffer,
  filename = "photo.jpg",
  endpoint = QUEUED_ENDPOINT,
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([bytes], { type: "image/jpeg" }), filename);
  return call(caller, endpoint, { method: "POST", body: form, headers });
}

export async function acceptedUpload(response: Response): Promise<AcceptedUpload> {
  expect(response.status).toBe(202);
  return acceptedUploadSchema.parse(await response.json());
}

export async function errorBody(response: Response): Promise<ErrorBody> {
  return errorBodySchema.parse(await response.json());
}

export async function getSnapshot(caller: Caller, id: string): Promise<UploadSnapshot> {
  const response = await call(caller, `/api/uploads/${id}`);
  expect(response.status).toBe(200);
  return uploadSnapshotSchema.parse(await response.json());
}

/** Polls the status URL until the upload has finished, one way or the other. */
export async function waitUntilFinished(
  caller: Caller,
  id: string,
  timeoutMs = 20_000,
): Promise<UploadSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = await getSnapshot(caller, id);
    if (snapshot.status === "completed" || snapshot.status === "failed") return snapshot;
    if (Date.now() > deadline) throw new Error(`Upload ${id} still ${snapshot.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** "name.format:WxH" for each variant, sorted: easy to compare with an expected list. */
export function variantSizes(snapshot: UploadSnapshot): string[] {
  return snapshot.variants.map((v) => `${v.name}.${v.format}:${v.width}x${v.height}`).sort();
}

/** The variants of a 3000×1500 landscape photo. */
export const VARIANTS_OF_3000_BY_1500 = [
  "large.jpeg:2048x1024",
  "large.webp:2048x1024",
  "medium.jpeg:1280x640",
  "medium.webp:1280x640",
  "thumb.jpeg:320x160",
  "thumb.webp:320x160",
];
