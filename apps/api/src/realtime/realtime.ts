import {
  ERROR_CATALOGUE,
  uploadIdSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SubscribeReply,
  type UploadStatus,
} from "@darkroom/contracts";
import type { Logger } from "@darkroom/runtime";
import type { PhotoEvents } from "@darkroom/queue";
import type { IncomingMessage } from "node:http";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Server } from "socket.io";
import { AppError } from "../http/app-error";
import type { Owner } from "../identity/owner";
import { liveSnapshot, ownedBy, STARTED, type ReadUpload } from "../uploads/upload-snapshot";

/** Set by `identifySocket` on every socket it lets in. */
export interface SocketData {
  owner: Owner;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, never, SocketData>;

const room = (uploadId: string) => `upload:${uploadId}`;

/**
 * Each subscription costs Redis and S3 reads. One owner gets this many a
 * second on each instance (a page re-subscribes to its waiting uploads every
 * few seconds for their place in line), and one socket follows at most this
 * many uploads at once.
 */
const SUBSCRIBES_PER_SECOND = 200;
const ROOMS_PER_SOCKET = 1_000;
const TOO_MANY: SubscribeReply = {
  ok: false,
  error: { code: "TOO_MANY_SUBSCRIPTIONS", message: ERROR_CATALOGUE.TOO_MANY_SUBSCRIPTIONS.message },
};
const ENDED = new Set<UploadStatus>(["completed", "failed"]);

/**
 * Whether a socket.io request may connect: a browser's only from a page of
 * the origin it connects to, as the web app's are (through nginx or Vite,
 * which pass the Host on), so that no other site's page opens a socket with
 * its visitor's session. Clients other than browsers send no Origin.
 */
export function fromOwnOrigin({ headers }: IncomingMessage): boolean {
  if (headers.origin === undefined) return true;
  return URL.canParse(headers.origin) && new URL(headers.origin).host === headers.host;
}

const notFound = (message: string): SubscribeReply => ({ ok: false, error: { code: "NOT_FOUND", message } });

/**
 * Forwards job events from every worker to the socket.io room of each upload.
 * Every API instance reads every job event, so each sends them to its own
 * clients only (`io.local`): through the Redis adapter they would arrive once
 * per instance.
 * Only the upload's owner joins its room: to anyone else, it does not
 * exist, and no event of it reaches them. An owner of an upload still under
 * way joins before the snapshot it is answered with is read, so no event can
 * fall between the two; at worst it sees the end twice.
 */
export function attachRealtime(
  io: RealtimeServer,
  events: PhotoEvents,
  readUpload: ReadUpload,
  logger: Logger,
) {
  const readSnapshot = ownedBy(readUpload);
  const subscribes = new RateLimiterMemory({ points: SUBSCRIBES_PER_SECOND, duration: 1 });
  io.on("connection", (socket) => {
    socket.on("subscribe", async (uploadId, reply) => {
      if (typeof reply !== "function") return;
      reply(await subscribe(uploadId));
    });
    socket.on("unsubscribe", (uploadId) => void socket.leave(room(String(uploadId))));

    async function subscribe(uploadId: unknown): Promise<SubscribeReply> {
      const owner = socket.data.owner;
      const allowed = await subscribes.consume(owner.id).then(
        () => true,
        () => false,
      );
      // A socket's own id is one of its rooms.
      if (!allowed || socket.rooms.size > ROOMS_PER_SOCKET) return TOO_MANY;
      const id = uploadIdSchema.safeParse(uploadId);
      if (!id.success) return notFound("This is not an upload id.");
      const before = await currentState(id.data, owner);
      if (!before.ok || ENDED.has(before.snapshot.status)) return before;
      await socket.join(room(id.data));
      const reply = await currentState(id.data, owner);
      if (!reply.ok) await socket.leave(room(id.data));
      return reply;
    }
  });

  async function currentState(uploadId: string, owner: Owner): Promise<SubscribeReply> {
    try {
      const snapshot = await readSnapshot(uploadId, owner);
      return snapshot ? { ok: true, snapshot } : notFound(ERROR_CATALOGUE.NOT_FOUND.message);
    } catch (error) {
      // A passing fault (Redis or S3 away) keeps its code, so the client knows to try again.
      if (error instanceof AppError)
        return { ok: false, error: { code: error.code, message: error.message } };
      logger.error({ err: error, uploadId }, "snapshot failed");
      return { ok: false, error: { code: "INTERNAL", message: ERROR_CATALOGUE.INTERNAL.message } };
    }
  }

  events.on("active", (id) => {
    io.local.to(room(id)).emit("upload:progress", liveSnapshot(id, STARTED));
  });
  events.on("progress", (id, progress) => {
    io.local.to(room(id)).emit("upload:progress", liveSnapshot(id, progress ?? STARTED));
  });
  events.on("completed", (id) => void emitFinal(id, "upload:completed"));
  events.on("failed", (id) => void emitFinal(id, "upload:failed"));

  async function emitFinal(jobId: string, event: "upload:completed" | "upload:failed") {
    try {
      const upload = await readUpload(jobId);
      if (upload) io.local.to(room(jobId)).emit(event, upload.snapshot);
    } catch (error) {
      // Clients still get the end from the snapshot when they next subscribe or poll.
      logger.error({ err: error, uploadId: jobId }, "could not read the final state to forward it");
    }
  }
}
