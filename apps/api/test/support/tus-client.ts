import { request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import { call, type Caller } from "./client";

export const RESUMABLE_ENDPOINT = "/api/uploads/tus";
const TUS = { "Tus-Resumable": "1.0.0" };

/** tus's Upload-Metadata: keys, then base64 values. */
const metadataHeader = (metadata: Record<string, string>) =>
  Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString("base64")}`)
    .join(",");

/** POST: creates an upload of `bytes` bytes. */
export const createResumable = (caller: Caller, bytes: number, filename = "photo.jpg") =>
  call(caller, RESUMABLE_ENDPOINT, {
    method: "POST",
    headers: { ...TUS, "Upload-Length": String(bytes), "Upload-Metadata": metadataHeader({ filename }) },
  });

/** The created upload's URL, as a path: the upload id is its last segment. */
export function createdAt(response: Response): string {
  expect(response.status).toBe(201);
  const location = response.headers.get("location") ?? "";
  expect(location).toMatch(new RegExp(`^${RESUMABLE_ENDPOINT}/[0-9a-f-]{36}$`));
  return location;
}

export const uploadIdOf = (location: string) => location.split("/").pop()!;

export const patchResumable = (caller: Caller, location: string, offset: number, chunk: Buffer) =>
  call(caller, location, {
    method: "PATCH",
    headers: { ...TUS, "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
    body: chunk,
  });

/** HEAD: where the upload stands, as a client about to resume asks. */
export const headResumable = (caller: Caller, location: string) =>
  call(caller, location, { method: "HEAD", headers: TUS });

export async function offsetOf(caller: Caller, location: string): Promise<number> {
  const response = await headResumable(caller, location);
  expect(response.status).toBe(200);
  return Number(response.headers.get("upload-offset"));
}

/**
 * Sends a whole file in `chunkBytes` PATCHes. `answer` is the answer of the
 * request that refused it, or of the last PATCH; `location`, the upload's URL
 * once it was created.
 */
export async function sendResumable(
  caller: Caller,
  bytes: Buffer,
  filename = "photo.jpg",
  chunkBytes = bytes.byteLength,
): Promise<{ answer: Response; location?: string }> {
  const created = await createResumable(caller, bytes.byteLength, filename);
  if (created.status !== 201) return { answer: created };
  const location = createdAt(created);
  for (let offset = 0; ; offset += chunkBytes) {
    const answer = await patchResumable(
      caller,
      location,
      offset,
      bytes.subarray(offset, offset + chunkBytes),
    );
    if (answer.status !== 204 || offset + chunkBytes >= bytes.byteLength) return { answer, location };
  }
}

/**
 * A PATCH of everything from `offset`, whose connection drops once `sent`
 * bytes are out: a phone that lost its signal mid-upload.
 */
export async function cutPatch(caller: Caller, location: string, offset: number, file: Buffer, sent: number) {
  const body = file.subarray(offset);
  const req = request(new URL(location, caller.url), {
    method: "PATCH",
    headers: {
      ...caller.headers,
      ...TUS,
      "Upload-Offset": String(offset),
      "Content-Type": "application/offset+octet-stream",
      "Content-Length": String(body.byteLength),
    },
  });
  req.on("error", () => undefined);
  await new Promise<void>((resolve) => req.write(body.subarray(0, sent), () => resolve()));
  // Time for the server to read what is on the wire, before it goes.
  await sleep(500);
  req.destroy();
}
