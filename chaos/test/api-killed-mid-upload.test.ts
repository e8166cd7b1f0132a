import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { objectKeys } from "@darkroom/storage";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChaosStack, type ChaosStack } from "./support/chaos-stack";
import { report, UploadLedger } from "./support/upload-ledger";

const TUS = { "Tus-Resumable": "1.0.0" };
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("two API instances, one killed during a resumable upload", () => {
  let stack: ChaosStack;
  let photo: Buffer;
  beforeAll(async () => {
    stack = await startChaosStack({ apis: 2, workers: 1 });
    // 18 MB of noise: PNG without compression, so it takes more than two S3 parts.
    photo = await sharp(randomBytes(3000 * 2000 * 3), { raw: { width: 3000, height: 2000, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
  });
  afterAll(() => stack?.stop());

  it("resumes on the other instance from the last part stored, and the upload completes whole", async () => {
    const [doomed, survivor] = stack.apiUrls as [string, string];
    const tus = { ...TUS, authorization: `Bearer ${stack.token}` };
    const created = await fetch(`${doomed}/api/uploads/tus`, {
      method: "POST",
      headers: { ...tus, "Upload-Length": String(photo.byteLength) },
    });
    expect(created.status).toBe(201);
    const location = created.headers.get("location")!;

    const sent = await sendUntil(`${doomed}${location}`, tus, photo, photo.byteLength * 0.7, () =>
      stack.apiProcesses[0]!.child.kill("SIGKILL"),
    );
    // The dead instance's lock on the upload lapses first: the HEAD waits for it.
    const head = await fetch(`${survivor}${location}`, { method: "HEAD", headers: tus });
    expect(head.status).toBe(200);
    const offset = Number(head.headers.get("upload-offset"));
    // What the killed instance had streamed into S3 parts is kept; what it held in hand is sent again.
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(sent);
    console.log(`chaos | ${sent} of ${photo.byteLength} bytes sent when the API died; resumed at ${offset}`);
    const rest = await fetch(`${survivor}${location}`, {
      method: "PATCH",
      headers: { ...tus, "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
      body: photo.subarray(offset),
    });
    expect(rest.status).toBe(204);

    const id = location.split("/").pop()!;
    const ledger = new UploadLedger(stack.token);
    ledger.accepted.push(id);
    const settled = await ledger.settle(survivor, stack);
    await report("an API SIGKILLed during a resumable upload", settled);
    expect(settled).toMatchObject({ accepted: 1, completed: 1, failed: {}, lost: [] });
    expect(sha256(await stack.storage.getBuffer(objectKeys.original(id)))).toBe(sha256(photo));
  });
});

/**
 * PATCHes the whole file from offset 0 in 256 KiB writes, and calls `kill`
 * once `killAt` bytes are out: the connection then dies with the server.
 * @returns the bytes sent.
 */
async function sendUntil(
  url: string,
  headers: Record<string, string>,
  file: Buffer,
  killAt: number,
  kill: () => void,
): Promise<number> {
  const req = request(url, {
    method: "PATCH",
    headers: {
      ...headers,
      "Upload-Offset": "0",
      "Content-Type": "application/offset+octet-stream",
      "Content-Length": String(file.byteLength),
    },
  });
  const ended = new Promise<void>((resolve) => req.once("close", resolve));
  req.on("error", () => undefined);
  let sent = 0;
  while (sent < killAt) {
    const chunk = file.subarray(sent, sent + 256 * 1024);
    await new Promise<void>((resolve) => req.write(chunk, () => resolve()));
    sent += chunk.byteLength;
  }
  // Time for the server to stream what it has into S3, as it would while the client carries on.
  await new Promise((resolve) => setTimeout(resolve, 500));
  kill();
  await ended;
  return sent;
}
