import {
  uploadSnapshotSchema,
  type ClientToServerEvents,
  type ErrorDetail,
  type ServerToClientEvents,
  type UploadSnapshot,
} from "@darkroom/contracts";
import { io, type Socket } from "socket.io-client";
import { sessionStarted } from "./client";

export type UploadSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let shared: UploadSocket | undefined;

/**
 * WebSocket first, long polling only when a WebSocket cannot open. The
 * default (polling, then an upgrade to WebSocket) can hang: should the
 * WebSocket drop in the middle of the upgrade, engine.io-client leaves the
 * polling paused, and nothing arrives until its heartbeat gives up, some
 * 45 s later.
 */
export const SOCKET_TRANSPORTS = { transports: ["websocket", "polling"], tryAllTransports: true };

/**
 * One connection per page, to the page's own origin, opened once the
 * browser's session exists: the API lets in no socket without one. Refused
 * all the same (the cookie was cleared meanwhile), it tries again: socket.io
 * does not after a refusal.
 */
export function sharedSocket(): UploadSocket {
  if (shared) return shared;
  const socket: UploadSocket = io({ path: "/socket.io", autoConnect: false, ...SOCKET_TRANSPORTS });
  socket.on("connect_error", () => {
    if (!socket.active) setTimeout(() => void sessionStarted().then(() => socket.connect()), RETRY_DELAY_MS);
  });
  void sessionStarted().then(() => socket.connect());
  shared = socket;
  return socket;
}

const SNAPSHOT_EVENTS = ["upload:progress", "upload:completed", "upload:failed"] as const;

const RETRY_DELAY_MS = 2_000;

/** How often uploads waiting in the queue ask again for their place in line. */
const POSITION_REFRESH_MS = 3_000;

export interface UploadListener {
  /** Every snapshot received, possibly out of order: the caller keeps the newest. */
  onSnapshot(snapshot: UploadSnapshot): void;
  /** The server refused to follow this upload. */
  onError(uploadId: string, error: ErrorDetail): void;
}

export interface UploadFollower {
  follow(uploadId: string): void;
  /** Stops listening; the shared connection stays open for the next follower. */
  close(): void;
}

/**
 * Follows uploads live until each one ends. After a reconnection it subscribes
 * again to every upload still running: the reply carries the current
 * snapshot, so whatever happened while offline is caught up. Uploads still
 * waiting subscribe again now and then, for their place in line: no event
 * tells it, as it changes with every other job taken.
 */
export function followUploads(listener: UploadListener): UploadFollower {
  const socket = sharedSocket();
  const unfinished = new Set<string>();
  const waiting = new Set<string>();

  const receive = (payload: unknown) => {
    const parsed = uploadSnapshotSchema.safeParse(payload);
    if (!parsed.success || !unfinished.has(parsed.data.id)) return;
    const snapshot = parsed.data;
    if (snapshot.status === "queued") waiting.add(snapshot.id);
    else waiting.delete(snapshot.id);
    if (snapshot.status === "completed" || snapshot.status === "failed") {
      unfinished.delete(snapshot.id);
      socket.emit("unsubscribe", snapshot.id);
    }
    listener.onSnapshot(snapshot);
  };

  const subscribe = (uploadId: string) => {
    socket.emit("subscribe", uploadId, (reply) => {
      if (reply.ok) receive(reply.snapshot);
      else if (reply.error.code !== "NOT_FOUND") retryLater(uploadId);
      else if (unfinished.delete(uploadId)) listener.onError(uploadId, reply.error);
    });
  };

  // Redis or S3 away for a moment: the upload is still there, so ask again.
  const retryLater = (uploadId: string) => {
    setTimeout(() => {
      if (unfinished.has(uploadId) && socket.connected) subscribe(uploadId);
    }, RETRY_DELAY_MS);
  };

  const resubscribe = () => unfinished.forEach(subscribe);

  socket.on("connect", resubscribe);
  for (const event of SNAPSHOT_EVENTS) socket.on(event, receive);
  const positions = setInterval(() => {
    if (socket.connected) waiting.forEach((id) => unfinished.has(id) && subscribe(id));
  }, POSITION_REFRESH_MS);

  return {
    follow(uploadId) {
      unfinished.add(uploadId);
      // While disconnected, the next `connect` subscribes.
      if (socket.connected) subscribe(uploadId);
    },
    close() {
      clearInterval(positions);
      unfinished.clear();
      socket.off("connect", resubscribe);
      for (const event of SNAPSHOT_EVENTS) socket.off(event, receive);
    },
  };
}
