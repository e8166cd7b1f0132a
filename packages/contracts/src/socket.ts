import type { BenchEvent, BenchRun } from "./bench";
import type { ErrorDetail } from "./errors";
import type { UploadSnapshot } from "./uploads";

/** Rooms are per upload; a client joins one by emitting `subscribe`. */
export type SubscribeReply = { ok: true; snapshot: UploadSnapshot } | { ok: false; error: ErrorDetail };

export interface ClientToServerEvents {
  /** Join the upload's room. The reply carries the current snapshot, so a late subscriber never misses the end. */
  subscribe: (uploadId: string, reply: (result: SubscribeReply) => void) => void;
  unsubscribe: (uploadId: string) => void;
}

/** Every event carries the whole snapshot: a client only ever keeps the newest one. */
export interface ServerToClientEvents {
  "upload:progress": (snapshot: UploadSnapshot) => void;
  "upload:completed": (snapshot: UploadSnapshot) => void;
  "upload:failed": (snapshot: UploadSnapshot) => void;
}

/**
 * The benchmark runner's own socket.io server, apart from the API's: a
 * development tool at this path, which the web dev server forwards to it.
 */
export const BENCH_SOCKET_PATH = "/bench-socket.io";

/** The run going on, with its events so far. */
export interface BenchRunProgress {
  run: BenchRun;
  events: BenchEvent[];
}

export interface BenchClientToServerEvents {
  /** Follow benchmark runs. The reply is the run going on now, with its events so far, if any. */
  "bench:watch": (reply: (current: BenchRunProgress | null) => void) => void;
}

/** Sent to every client that emitted `bench:watch`. */
export interface BenchServerToClientEvents {
  "bench:started": (run: BenchRun) => void;
  "bench:event": (runId: string, event: BenchEvent) => void;
  /** The run ended: `completed` with its report, or `failed` with the reason. */
  "bench:finished": (run: BenchRun) => void;
}
