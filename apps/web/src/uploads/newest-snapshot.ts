import type { UploadSnapshot, UploadStatus } from "@darkroom/contracts";

/** Still queued or running: worth following live. */
export const isUnfinished = (snapshot: UploadSnapshot) =>
  snapshot.status === "queued" || snapshot.status === "active";

const STATUS_ORDER: Record<UploadStatus, number> = { queued: 0, active: 1, completed: 2, failed: 2 };

/**
 * Of two snapshots of one upload, the one that is further along. Events can
 * arrive out of order (a subscribe reply after a live event, a replay after a
 * reconnection), so an upload must never be seen to go backwards: an end
 * wins over everything; while active, a later try wins, then more progress;
 * while queued, the latest word on its place in line.
 * Progress events carry the state only, so the file and timings a fuller
 * snapshot gave are kept.
 */
export function newestSnapshot(current: UploadSnapshot, incoming: UploadSnapshot): UploadSnapshot {
  const [newer, older] = isFurther(current, incoming) ? [incoming, current] : [current, incoming];
  const original = newer.original ?? older.original;
  const timings = newer.timings ?? older.timings;
  if (original === newer.original && timings === newer.timings) return newer;
  return { ...newer, original, timings };
}

function isFurther(current: UploadSnapshot, incoming: UploadSnapshot): boolean {
  const order = STATUS_ORDER[incoming.status] - STATUS_ORDER[current.status];
  if (order !== 0) return order > 0;
  if (current.status === "queued") return true;
  if (current.status !== "active") return false;
  const laterTry = (incoming.attempt ?? current.attempt ?? 0) - (current.attempt ?? 0);
  return laterTry !== 0 ? laterTry > 0 : incoming.progress >= current.progress;
}
