import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createS3Storage, StorageUnavailableError } from "../src";

/** An S3 stand-in that hangs up on the first `resets` PUTs, as a server closing a kept-alive connection does. */
async function flakyS3(resets: number): Promise<{ server: Server; url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      bodies.push(Buffer.concat(chunks).toString());
      if (bodies.length <= resets) return req.socket.destroy();
      res.writeHead(200, { ETag: '"1"' }).end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

describe("putStream when S3 hangs up", () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  async function putThrough(resets: number) {
    const fake = await flakyS3(resets);
    server = fake.server;
    const storage = createS3Storage({
      endpoint: fake.url,
      publicEndpoint: fake.url,
      region: "us-east-1",
      bucket: "photos",
      accessKeyId: "key",
      secretAccessKey: "secret",
      forcePathStyle: true,
      keyPrefix: "",
    });
    let opened = 0;
    const put = storage.putStream(
      "originals/a",
      () => {
        opened++;
        return Readable.from([Buffer.from("the photo")]);
      },
      "the photo".length,
      "image/jpeg",
    );
    return { put, opened: () => opened, bodies: fake.bodies };
  }

  it("opens the body afresh and tries again", async () => {
    const { put, opened, bodies } = await putThrough(2);

    await put;

    expect(opened()).toBe(3);
    expect(bodies).toEqual(["the photo", "the photo", "the photo"]);
  });

  it("gives up with StorageUnavailableError after three tries", async () => {
    const { put, opened } = await putThrough(Infinity);

    await expect(put).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(opened()).toBe(3);
  });
});
