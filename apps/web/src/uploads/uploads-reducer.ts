import type { ErrorDetail, UploadSnapshot } from "@darkroom/contracts";
import type { ApiErrorDetail } from "../api/client";
import type { PageMode } from "../api/upload-file";
import { newestSnapshot } from "./newest-snapshot";

/** One photo: chosen here and on its way up, or known to the server. */
export type UploadItem = { key: string; fileName: string } & (
  | { phase: "uploading"; mode: PageMode; sentPercent: number }
  /** The API refused the file itself. */
  | { phase: "rejected"; error: ApiErrorDetail }
  /** Accepted: the server's snapshot tells the rest. */
  | { phase: "processing"; snapshot: UploadSnapshot }
);

/** What a card shows and tests wait on. */
export type CardStatus = "uploading" | "rejected" | UploadSnapshot["status"];

export function cardStatus(item: UploadItem): CardStatus {
  return item.phase === "processing" ? item.snapshot.status : item.phase;
}

/** The gallery's pages as far as they are listed. */
export interface ListingState {
  loading: boolean;
  /** Older uploads follow the last page listed. */
  more: boolean;
  /** Why the last page asked for could not be listed. */
  error?: ApiErrorDetail;
}

export interface UploadsState {
  /** Newest first. */
  order: string[];
  byKey: Record<string, UploadItem>;
  listing: ListingState;
}

export const initialUploadsState: UploadsState = {
  order: [],
  byKey: {},
  listing: { loading: false, more: false },
};

export type UploadsAction =
  | { type: "added"; key: string; fileName: string; mode: PageMode }
  | { type: "sent"; key: string; percent: number }
  | { type: "rejected"; key: string; error: ApiErrorDetail }
  | { type: "accepted"; key: string; snapshot: UploadSnapshot }
  | { type: "snapshot"; snapshot: UploadSnapshot }
  | { type: "listing" }
  /** A page of the gallery as the server lists it, newest first; `more` when older ones follow. */
  | { type: "listed"; snapshots: UploadSnapshot[]; more: boolean }
  | { type: "listingFailed"; error: ApiErrorDetail }
  | { type: "followFailed"; uploadId: string; error: ErrorDetail }
  /** Deleted by its owner. */
  | { type: "removed"; uploadId: string };

export function uploadsReducer(state: UploadsState, action: UploadsAction): UploadsState {
  switch (action.type) {
    case "added": {
      const { key, fileName, mode } = action;
      return {
        ...state,
        order: [key, ...state.order],
        byKey: { ...state.byKey, [key]: { key, fileName, mode, phase: "uploading", sentPercent: 0 } },
      };
    }
    case "sent":
      return update(state, action.key, (item) =>
        item.phase === "uploading" ? { ...item, sentPercent: action.percent } : item,
      );
    case "rejected":
      return update(state, action.key, (item) => ({ ...item, phase: "rejected", error: action.error }));
    case "accepted": {
      // The gallery may have listed this upload while its answer was on the way: one card, not two.
      const listed = state.byKey[action.snapshot.id];
      const snapshot =
        listed?.phase === "processing" ? newestSnapshot(listed.snapshot, action.snapshot) : action.snapshot;
      const withoutListed = listed ? withoutItem(state, listed.key) : state;
      return update(withoutListed, action.key, (item) => ({ ...item, phase: "processing", snapshot }));
    }
    case "snapshot":
      return receive(state, action.snapshot);
    case "listing":
      return { ...state, listing: { ...state.listing, loading: true } };
    case "listed": {
      const listed = action.snapshots.reduce(
        (current, snapshot) =>
          keyOf(current, snapshot.id) ? receive(current, snapshot) : append(current, snapshot),
        state,
      );
      return { ...listed, listing: { loading: false, more: action.more } };
    }
    case "listingFailed":
      return { ...state, listing: { ...state.listing, loading: false, error: action.error } };
    case "removed": {
      const key = keyOf(state, action.uploadId);
      return key ? withoutItem(state, key) : state;
    }
    case "followFailed":
      return changeSnapshot(state, action.uploadId, (current) => ({
        ...current,
        status: "failed",
        stage: "failed",
        error: action.error,
      }));
  }
}

function update(state: UploadsState, key: string, change: (item: UploadItem) => UploadItem): UploadsState {
  const item = state.byKey[key];
  if (!item) return state;
  const changed = change(item);
  return changed === item ? state : { ...state, byKey: { ...state.byKey, [key]: changed } };
}

function withoutItem(state: UploadsState, key: string): UploadsState {
  const { [key]: _removed, ...byKey } = state.byKey;
  return { ...state, order: state.order.filter((candidate) => candidate !== key), byKey };
}

function keyOf(state: UploadsState, uploadId: string): string | undefined {
  return Object.values(state.byKey).find(
    (item) => item.phase === "processing" && item.snapshot.id === uploadId,
  )?.key;
}

function receive(state: UploadsState, snapshot: UploadSnapshot): UploadsState {
  return changeSnapshot(state, snapshot.id, (current) => newestSnapshot(current, snapshot));
}

/** Changes the snapshot of an upload's item, if it has one. */
function changeSnapshot(
  state: UploadsState,
  uploadId: string,
  change: (current: UploadSnapshot) => UploadSnapshot,
): UploadsState {
  const key = keyOf(state, uploadId);
  if (!key) return state;
  return update(state, key, (item) => {
    if (item.phase !== "processing") return item;
    const next = change(item.snapshot);
    return next === item.snapshot ? item : { ...item, snapshot: next };
  });
}

function append(state: UploadsState, snapshot: UploadSnapshot): UploadsState {
  const item: UploadItem = {
    key: snapshot.id,
    fileName: snapshot.original?.filename ?? "Photo",
    phase: "processing",
    snapshot,
  };
  return { ...state, order: [...state.order, item.key], byKey: { ...state.byKey, [item.key]: item } };
}
