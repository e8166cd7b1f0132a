import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import type { CheckedDestination } from "./destination";

export interface DeliveryOptions {
  /** For the whole delivery: connecting, sending and the answer's status line. */
  timeoutMs: number;
  /** Of the answer's body, read only to say why a delivery was refused. @defaultValue 1024 */
  maxResponseBytes?: number;
}

export interface DeliveryAnswer {
  status: number;
  /** The start of the answer's body, at most `maxResponseBytes`. */
  body: string;
}

/**
 * POSTs `body` to a checked destination, connecting only to the address
 * that was checked: the host name still goes in `Host` and in TLS's SNI and
 * certificate check, but is never resolved again. A fresh connection each
 * time (no pooled socket to whatever the name meant before), redirects not
 * followed (a 3xx is an answer like any other), and no more of the answer
 * read than a short excerpt.
 *
 * @throws on a connection error or the timeout.
 */
export function deliver(
  destination: CheckedDestination,
  body: string,
  headers: Record<string, string>,
  { timeoutMs, maxResponseBytes = 1024 }: DeliveryOptions,
): Promise<DeliveryAnswer> {
  const { url, address, family } = destination;
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<DeliveryAnswer>((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent: false,
        lookup: pinned,
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "Darkroom-Webhooks/1",
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let read = 0;
        const done = () => {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8", 0, read) });
        };
        res.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          read = Math.min(read + chunk.length, maxResponseBytes);
          if (read >= maxResponseBytes) done();
        });
        res.once("end", done);
        res.once("error", done);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
