import type { ClientToServerEvents, ServerToClientEvents, UploadSnapshot } from "@darkroom/contracts";
import { io, type Socket } from "socket.io-client";

const RESUBSCRIBE_DELAY_MS = 1_000;

/**
 * Follows queued uploads over socket.io, as the browser does, and records
 * when each one's end reaches the client, and the ETA the API gave for it
 * when the client started following it.
 */
export class CompletionTracker {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly waiting = new Map<string, (at: number) => void>();
  readonly finished = new Map<string, { at: number; status: UploadSnapshot["status"] }>();
  /** When the client learned each upload's ETA (performance.now()), and the ETA. */
  private readonly predicted = new Map<string, { at: number; etaMs: number }>();

  constructor(apiUrl: string, token: string) {
    this.socket = io(apiUrl, { transports: ["websocket"], auth: { token } });
    const end = (snapshot: UploadSnapshot) => this.end(snapshot);
    this.socket.on("upload:completed", end);
    this.socket.on("upload:failed", end);
  }

  /** Resolves with the time (performance.now()) at which the upload's end arrived. */
  follow(id: string): Promise<number> {
    const ended = new Promise<number>((resolve) => this.waiting.set(id, resolve));
    this.subscribe(id);
    return ended;
  }

  /** For each completed upload that had an ETA: (predicted − actual) ÷ actual, above 0 when it said too long. */
  etaErrors(): number[] {
    return [...this.predicted].flatMap(([id, { at, etaMs }]) => {
      const end = this.finished.get(id);
      if (end?.status !== "completed") return [];
      const actual = end.at - at;
      return [(etaMs - actual) / actual];
    });
  }

  close(): void {
    this.socket.close();
  }

  /**
   * A refusal other than NOT_FOUND is for now only (a burst beyond the API's
   * subscribes per second, Redis away): ask again, as the web app does.
   */
  private subscribe(id: string) {
    void this.socket.emitWithAck("subscribe", id).then((reply) => {
      if (!reply.ok) {
        if (reply.error.code !== "NOT_FOUND") setTimeout(() => this.subscribe(id), RESUBSCRIBE_DELAY_MS);
        return;
      }
      const { etaMs } = reply.snapshot;
      if (etaMs !== undefined) this.predicted.set(id, { at: performance.now(), etaMs });
      this.end(reply.snapshot);
    });
  }

  private end(snapshot: UploadSnapshot) {
    if (snapshot.status !== "completed" && snapshot.status !== "failed") return;
    const resolve = this.waiting.get(snapshot.id);
    if (!resolve) return;
    this.waiting.delete(snapshot.id);
    const at = performance.now();
    this.finished.set(snapshot.id, { at, status: snapshot.status });
    resolve(at);
  }
}
