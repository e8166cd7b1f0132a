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
