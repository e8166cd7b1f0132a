import { once } from "node:events";
import { connect, type Socket } from "node:net";

export interface RawUpload {
  /** Sends the rest of the body, when the upload was started part way. */
  finish(): void;
  /** Hangs up, as a client that gives up does. */
  hangUp(): void;
  /** The status code of the answer. */
  status: Promise<number>;
}

/**
 * A multipart upload over a bare socket, so a test can stop it part way:
 * it sends the headers and the first `sentBytes` of the photo, then waits
 * for `finish`. By default it sends the whole request at once.
 */
export async function startRawUpload(
  apiUrl: string,
  photo: Buffer,
  { endpoint = "/api/uploads", sentBytes = photo.byteLength }: { endpoint?: string; sentBytes?: number } = {},
): Promise<RawUpload> {
  const boundary = "darkroom-test-boundary";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const { port } = new URL(apiUrl);
  const socket: Socket = connect(Number(port), "127.0.0.1");
  await once(socket, "connect");
  const status = new Promise<number>((resolve, reject) => {
    socket.once("data", (chunk: Buffer) =>
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString())?.[1])),
    );
    socket.once("close", () => reject(new Error("closed without an answer")));
  });
  // A test that hangs up expects no answer.
  status.catch(() => undefined);
  socket.write(
    `POST ${endpoint} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
      `Content-Length: ${head.length + photo.byteLength + tail.length}\r\n\r\n${head}`,
  );
  const finish = () => socket.write(Buffer.concat([photo.subarray(sentBytes), Buffer.from(tail)]));
  socket.write(photo.subarray(0, sentBytes));
  if (sentBytes === photo.byteLength) finish();
  return {
    finish,
    hangUp: () => socket.destroy(),
    status,
  };
}
