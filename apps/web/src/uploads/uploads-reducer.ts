import type { AcceptedUpload, ErrorDetail, UploadSnapshot } from "@darkroom/contracts";
import type { UploadError } from "../api/upload-file";
import { newestSnapshot } from "./newest-snapshot";

/** One chosen file, from its first byte sent to its variants. */
export type UploadItem = { localId: string; fileName: string } & (
  | { phase: "uploading"; sentPercent: number }
  /** The API refused the file itself. */
  | { phase: "rejected"; error: UploadError }
  /** Accepted: the server's snapshot tells the rest. */
  | { phase: "processing"; snapshot: UploadSnapshot }
);

/** What a card shows and tests wait on. */
export type CardStatus = "uploading" | "rejected" | UploadSnapshot["status"];

export function cardStatus(item: UploadItem): CardStatus {
  return item.phase === "processing" ? item.snapshot.status : item.phase;
}

export interface UploadsState {
  order: string[];
  byLocalId: Record<string, UploadItem>;
}

export const initialUploadsState: UploadsState = { order: [], byLocalId: {} };

export type UploadsAction =
  | { type: "added"; localId: string; fileName: string }
  | { type: "sent"; localId: string; percent: number }
  | { type: "rejected"; localId: string; error: UploadError }
  | { type: "accepted"; localId: string; accepted: AcceptedUpload }
  | { type: "snapshot"; snapshot: UploadSnapshot }
  | { type: "followFailed"; uploadId: string; error: ErrorDetail };

export function uploadsReducer(state: UploadsState, action: UploadsAction): UploadsState {
  switch (action.type) {
    case "added": {
      const item: UploadItem = {
        localId: action.localId,
        fileName: action.fileName,
        phase: "uploading",
        sentPercent: 0,
      };
      return {
        order: [...state.order, action.localId],
        byLocalId: { ...state.byLocalId, [action.localId]: item },
      };
    }
    case "sent":
      return update(state, action.localId, (item) =>
        item.phase === "uploading" ? { ...item, sentPercent: action.percent } : item,
      );
    case "rejected":
      return update(state, action.localId, (item) => ({ ...item, phase: "rejected", error: action.error }));
    case "accepted":
      return update(state, action.localId, (item) => ({
        ...item,
        phase: "processing",
        snapshot: queuedSnapshot(action.accepted),
      }));
    case "snapshot":
      return updateSnapshot(state, action.snapshot.id, (current) => newestSnapshot(current, action.snapshot));
    case "followFailed":
      return updateSnapshot(state, action.uploadId, (current) => ({
        ...current,
        status: "failed",
        stage: "failed",
        error: action.error,
      }));
  }
}

function update(
  state: UploadsState,
  localId: string,
  change: (item: UploadItem) => UploadItem,
): UploadsState {
  const item = state.byLocalId[localId];
  if (!item) return state;
  const changed = change(item);
  return changed === item ? state : { ...state, byLocalId: { ...state.byLocalId, [localId]: changed } };
}

function updateSnapshot(
  state: UploadsState,
  uploadId: string,
  change: (snapshot: UploadSnapshot) => UploadSnapshot,
): UploadsState {
  const item = Object.values(state.byLocalId).find(
    (candidate) => candidate.phase === "processing" && candidate.snapshot.id === uploadId,
  );
  if (item?.phase !== "processing") return state;
  return update(state, item.localId, () => {
    const snapshot = change(item.snapshot);
    return snapshot === item.snapshot ? item : { ...item, snapshot };
  });
}

/** What a 202 says, until the first snapshot arrives. */
function queuedSnapshot(accepted: AcceptedUpload): UploadSnapshot {
  return { id: accepted.id, mode: "queued", status: "queued", stage: "queued", progress: 0, variants: [] };
}
