import {
  acceptedUploadSchema,
  errorBodySchema,
  uploadSnapshotSchema,
  type AcceptedUpload,
  type ErrorBody,
  type UploadSnapshot,
} from "@darkroom/contracts";
import { expect } from "vitest";

export const QUEUED_ENDPOINT = "/api/uploads";
export const SYNC_ENDPOINT = "/api/uploads/sync";

export async function postUpload(
  baseUrl: string,
  bytes: Buffer,
  filename = "photo.jpg",
  endpoint = QUEUED_ENDPOINT,
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([bytes], { type: "image/jpeg" }), filename);
  return fetch(`${baseUrl}${endpoint}`, { method: "POST", body: form, headers });
}

export async function acceptedUpload(response: Response): Promise<AcceptedUpload> {
  expect(response.status).toBe(202);
  return acceptedUploadSchema.parse(await response.json());
}

export async function errorBody(response: Response): Promise<ErrorBody> {
  return errorBodySchema.parse(await response.json());
}

export async function getSnapshot(baseUrl: string, id: string): Promise<UploadSnapshot> {
  const response = await fetch(`${baseUrl}/api/uploads/${id}`);
  expect(response.status).toBe(200);
  return uploadSnapshotSchema.parse(await response.json());
}

/** Polls the status URL until the upload has finished, one way or the other. */
export async function waitUntilFinished(
  baseUrl: string,
  id: string,
  timeoutMs = 20_000,
): Promise<UploadSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = await getSnapshot(baseUrl, id);
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
