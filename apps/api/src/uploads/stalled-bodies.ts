import type { RequestHandler } from "express";

export interface StallOptions {
  /** How long a body may take to bring `minBytes`. */
  windowMs: number;
  minBytes: number;
}

/**
 * Closes the connection of a request whose body stalls: less than
 * `minBytes` arrive in a window, although the API is ready to read them.
 * A client that stops sending, or sends a byte now and then to hold an
 * upload slot (slowloris), is cut off within one window; bytes the API has
 * yet to read (the upload waits for a slot, or S3 for its part) are never
 * the client's fault. An error answer's unread rest counts too.
 */
export function closeStalledBodies({ windowMs, minBytes }: StallOptions): RequestHandler {
  return (req, _res, next) => {
    const { socket } = req;
    let seen = socket.bytesRead;
    const watch = setInterval(() => {
      const arrived = socket.bytesRead - seen;
      seen = socket.bytesRead;
      const waitingForUs = req.readableLength > 0 || req.readableFlowing === false;
      if (arrived < minBytes && !waitingForUs) {
        req.log.warn({ arrived, windowMs }, "upload body stalled: connection closed");
        socket.destroy();
      }
    }, windowMs).unref();
    const stop = () => clearInterval(watch);
    req.once("end", stop).once("close", stop);
    next();
  };
}
