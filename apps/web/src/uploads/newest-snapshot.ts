import type { UploadSnapshot, UploadStatus } from "@darkroom/contracts";

const STATUS_ORDER: Record<UploadStatus, number> = { queued: 0, active: 1, completed: 2, failed: 2 };

/**
 * Of two snapshots of one upload, the one that is further along. Events can
 * arrive out of order (a subscribe reply after a live event, a replay after a
 * reconnection), so an upload must never be seen to go backwards: an end
 * wins over everything, and while active, more progress wins.
 */
export function newestSnapshot(current: UploadSnapshot, incoming: UploadSnapshot): UploadSnapshot {
  const order = STATUS_ORDER[incoming.status] - STATUS_ORDER[current.status];
  if (order !== 0) return order > 0 ? incoming : current;
  if (current.status === "active" && incoming.progress >= current.progress) return incoming;
  return current;
}
