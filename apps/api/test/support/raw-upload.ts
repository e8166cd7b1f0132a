import { once } from "node:events";
import { connect, type Socket } from "node:net";
import type { Caller } from "./client";

export interface RawUpload {
  socket: Socket;
  /** Sends the rest of the request, when it was started part way. */
  finish(): void;
  /** Hangs up, as a client that gives up does. */
  hangUp(): void;
  /** The status code of the first answer. */
  status: Promise<number>;
  /** Everything the server sent, once it closed the connection. */
  received: Promise<string>;
}

export interface RawUploadOptions {
  endpoint?: string;
  headers?: Record<string, string>;
}

/** A whole HTTP/1.1 multipart upload of `photo`, as bytes to write to a socket, and where the photo starts in them. */
export function rawUploadRequest(
  photo: Buffer,
  { endpoint = "/api/uploads", headers = {} }: RawUploadOptions = {},
): { bytes: Buffer; photoStart: number } {
  const boundary = "darkroom-test-boundary";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const requestHead =
    `POST ${endpoint} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("") +
    `Content-Length: ${head.length + photo.byteLength + tail.length}\r\n\r\n${head}`;
  return {
    bytes: Buffer.concat([Buffer.from(requestHead), photo, Buffer.from(tail)]),
    photoStart: Buffer.byteLength(requestHead),
  };
}

/**
 * An upload over a bare socket, so a test can stop it part way: it sends
 * the request up to `sentBytes` of the photo, then waits for `finish`. By
 * default it sends the whole request at once.
 */
export async function startRawUpload(
  caller: Caller,
  photo: Buffer,
  { sentBytes = photo.byteLength, ...options }: RawUploadOptions & { sentBytes?: number } = {},
): Promise<RawUpload> {
  const { bytes: request, photoStart } = rawUploadRequest(photo, {
    ...options,
    headers: { ...caller.headers, ...options.headers },
  });
  const split = photoStart + sentBytes;
  const { port } = new URL(caller.url);
  const socket: Socket = connect(Number(port), "127.0.0.1");
  await once(socket, "connect");
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
  const status = new Promise<number>((resolve, reject) => {
    socket.once("data", (chunk: Buffer) =>
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString())?.[1])),
    );
    socket.once("close", () => reject(new Error("closed without an answer")));
  });
  // A test that hangs up expects no answer.
  status.catch(() => undefined);
  const finish = () => socket.write(request.subarray(split));
  socket.write(request.subarray(0, split));
  if (sentBytes === photo.byteLength) finish();
  return {
    socket,
    finish,
    hangUp: () => socket.destroy(),
    status,
    received: once(socket, "close").then(() => received),
  };
}
